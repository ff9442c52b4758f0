import type { BackoffPolicy } from '../adapters/shared/retry-with-backoff';

/**
 * Every retry policy of the service, side by side: each adapter is given the one for its loop.
 * All of them double their wait from the first delay up to the cap.
 */

// A broker or database restarting is back within seconds; one down for long is polled every 10 s.
export const UNTIL_IT_ANSWERS: BackoffPolicy = { firstDelayMs: 500, maxDelayMs: 10_000 };

// A store that failed is tried again after 0.1 s, 0.2 s … and then every 5 s, while the records
// wait; PROCESS_MAX_ATTEMPTS, when set, gives up (the records are then dead-lettered).
export const storeRetries = (maxAttempts: number | undefined): BackoffPolicy => ({
  firstDelayMs: 100,
  maxDelayMs: 5000,
  maxAttempts,
});

// The store's waits, but never given up: a record must not leave its partition unwritten.
export const DEAD_LETTER_WRITES: BackoffPolicy = { firstDelayMs: 100, maxDelayMs: 5000 };

// A failed produce request is sent again, whole, after 100 ms, then 200, 400, … up to 1 s, until
// its callers' deadline: a leader moving to another broker takes that long to show in metadata.
export const PRODUCE_RESENDS: BackoffPolicy = { firstDelayMs: 100, maxDelayMs: 1000 };
