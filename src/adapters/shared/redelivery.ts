import { setTimeout as delay } from 'node:timers/promises';
import { isRight } from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { ProcessOutcome } from '../../application/process-event';
import type { StoreUnavailable } from '../../application/processed-event-store.port';

export interface RedeliveryPolicy {
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** Attempts before giving up; undefined retries for as long as it takes. */
  readonly maxAttempts: number | undefined;
}

export type Settlement =
  | { readonly kind: 'settled'; readonly outcome: ProcessOutcome }
  | { readonly kind: 'exhausted'; readonly attempts: number; readonly lastError: StoreUnavailable }
  | { readonly kind: 'interrupted' };

export interface RedeliveryHooks {
  /** Called before each wait, e.g. to log and to keep a consumer group session alive. */
  readonly beforeRetry: (attempt: number, error: StoreUnavailable, waitMs: number) => Promise<void>;
  /** Aborted when the process is shutting down: stop waiting, settle nothing. */
  readonly stopping: AbortSignal;
}

/**
 * Processes one event until it settles: a transient failure is retried with capped exponential
 * backoff and never skipped. Only a bounded policy can give up, and then says so.
 */
export async function processUntilSettled(
  process: TaskEither<StoreUnavailable, ProcessOutcome>,
  policy: RedeliveryPolicy,
  hooks: RedeliveryHooks,
): Promise<Settlement> {
  for (let attempt = 1; ; attempt += 1) {
    const result = await process();
    if (isRight(result)) return { kind: 'settled', outcome: result.right };
    if (policy.maxAttempts !== undefined && attempt >= policy.maxAttempts) {
      return { kind: 'exhausted', attempts: attempt, lastError: result.left };
    }
    if (hooks.stopping.aborted) return { kind: 'interrupted' };
    const waitMs = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (attempt - 1));
    await hooks.beforeRetry(attempt, result.left, waitMs);
    const waited = await delay(waitMs, true, { signal: hooks.stopping }).catch(() => false);
    if (!waited) return { kind: 'interrupted' };
  }
}
