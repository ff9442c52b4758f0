import { expect } from 'chai';
import * as E from 'fp-ts/Either';
import type * as TE from 'fp-ts/TaskEither';
import type { StoreUnavailable } from '../../../src/application/processed-event-store.port';
import type { ProcessOutcome } from '../../../src/application/process-event';
import {
  retryWithBackoff,
  type BackoffPolicy,
} from '../../../src/adapters/shared/retry-with-backoff';

const down: StoreUnavailable = { _tag: 'StoreUnavailable', detail: 'connection refused' };

/** Fails `failures` times, then processes. */
function flakyProcess(failures: number): {
  process: TE.TaskEither<StoreUnavailable, ProcessOutcome>;
  calls: () => number;
} {
  let calls = 0;
  return {
    process: async () => {
      calls += 1;
      return calls <= failures ? E.left(down) : E.right('processed');
    },
    calls: () => calls,
  };
}

const policy = (maxAttempts: number | undefined): BackoffPolicy => ({
  firstDelayMs: 1,
  maxDelayMs: 4,
  maxAttempts,
});

describe('retryWithBackoff', () => {
  it('retries a transient failure with growing, capped waits until it succeeds', async () => {
    const waits: number[] = [];
    const flaky = flakyProcess(5);
    const settlement = await retryWithBackoff(flaky.process, policy(undefined), {
      stopping: new AbortController().signal,
      beforeRetry: async (_attempt, _error, waitMs) => void waits.push(waitMs),
    });
    expect(settlement).to.deep.equal({ kind: 'succeeded', value: 'processed' });
    expect(waits).to.deep.equal([1, 2, 4, 4, 4]);
    expect(flaky.calls()).to.equal(6);
  });

  it('gives up after the configured attempts and says so', async () => {
    const settlement = await retryWithBackoff(flakyProcess(10).process, policy(3), {
      stopping: new AbortController().signal,
      beforeRetry: async () => undefined,
    });
    expect(settlement).to.deep.equal({ kind: 'exhausted', attempts: 3, lastError: down });
  });

  it('gives up rather than wait past its deadline, and says so', async () => {
    let now = 0;
    const waits: number[] = [];
    const flaky = flakyProcess(10);
    const settlement = await retryWithBackoff(
      flaky.process,
      { ...policy(undefined), giveUpAt: 6 },
      {
        now: () => now,
        beforeRetry: (_attempt, _error, waitMs) => {
          waits.push(waitMs);
          now += waitMs;
        },
      },
    );
    // Waits of 1, 2 and then 4 would end at 7, past the deadline of 6: three attempts in all.
    expect(waits).to.deep.equal([1, 2]);
    expect(settlement).to.deep.equal({ kind: 'exhausted', attempts: 3, lastError: down });
    expect(flaky.calls()).to.equal(3);
  });

  it('tries once even when its deadline has passed already', async () => {
    const flaky = flakyProcess(0);
    const settlement = await retryWithBackoff(
      flaky.process,
      { ...policy(1), giveUpAt: 0 },
      {
        now: () => 100,
      },
    );
    expect(settlement).to.deep.equal({ kind: 'succeeded', value: 'processed' });
  });

  it('stops retrying when shutdown begins, settling nothing', async () => {
    const stopping = new AbortController();
    const settlement = await retryWithBackoff(flakyProcess(10).process, policy(undefined), {
      stopping: stopping.signal,
      beforeRetry: async () => stopping.abort(),
    });
    expect(settlement).to.deep.equal({ kind: 'interrupted' });
  });
});
