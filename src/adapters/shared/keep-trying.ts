import * as E from 'fp-ts/Either';
import type { Logger } from 'pino';
import { retryWithBackoff, type BackoffPolicy } from './capped-backoff';
import { errorMessage } from './error-message';

// A broker or database restarting is back within seconds; one down for long is polled every 10 s.
const UNTIL_IT_ANSWERS: BackoffPolicy = {
  firstDelayMs: 500,
  maxDelayMs: 10_000,
  maxAttempts: undefined,
};

export interface KeepTryingOptions {
  readonly stopping: AbortSignal;
  readonly logger: Logger;
  /** Called after each failed attempt, e.g. to stop waiting for the first success. */
  readonly onFailure?: (error: unknown) => void;
}

/**
 * Runs `step` until it succeeds, logging each failure, so a broker or database that is down at
 * start-up or restarting is simply waited for. Resolves false if stopped first.
 */
export async function keepTrying(
  what: string,
  step: () => Promise<unknown>,
  options: KeepTryingOptions,
): Promise<boolean> {
  if (options.stopping.aborted) return false;
  const tried = await retryWithBackoff(() => step().then(E.right, E.left), UNTIL_IT_ANSWERS, {
    stopping: options.stopping,
    beforeRetry: (attempt, error: unknown, waitMs) => {
      options.logger.warn(
        { attempt, waitMs, error: errorMessage(error) },
        `could not ${what}; retrying`,
      );
      options.onFailure?.(error);
    },
  });
  return tried.kind === 'succeeded';
}
