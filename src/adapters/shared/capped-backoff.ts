import { setTimeout as delay } from 'node:timers/promises';
import { isRight } from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';

export interface BackoffPolicy {
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** Attempts before giving up; undefined retries for as long as it takes. */
  readonly maxAttempts: number | undefined;
}

export type Retried<E, A> =
  | { readonly kind: 'succeeded'; readonly value: A }
  | { readonly kind: 'exhausted'; readonly attempts: number; readonly lastError: E }
  | { readonly kind: 'interrupted' };

export interface RetryHooks<E> {
  /** Called before each wait, e.g. to log and to keep a consumer group session alive. */
  readonly beforeRetry: (attempt: number, error: E, waitMs: number) => Promise<void> | void;
  /** Aborted when the process is shutting down: stop waiting, try no more. */
  readonly stopping: AbortSignal;
}

/**
 * Runs `attempt` until it succeeds, waiting `firstDelayMs`, then twice as long each time up to
 * `maxDelayMs`, between tries. A failure is never skipped: only a bounded policy gives up, and
 * then says so; shutdown interrupts the waiting. The one retry loop of the service, for events a
 * store refused and for connections at start-up alike.
 */
export async function retryWithBackoff<E, A>(
  attempt: TaskEither<E, A>,
  policy: BackoffPolicy,
  hooks: RetryHooks<E>,
): Promise<Retried<E, A>> {
  for (let attempts = 1; ; attempts += 1) {
    const result = await attempt();
    if (isRight(result)) return { kind: 'succeeded', value: result.right };
    if (policy.maxAttempts !== undefined && attempts >= policy.maxAttempts) {
      return { kind: 'exhausted', attempts, lastError: result.left };
    }
    if (hooks.stopping.aborted) return { kind: 'interrupted' };
    const waitMs = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (attempts - 1));
    await hooks.beforeRetry(attempts, result.left, waitMs);
    const waited = await delay(waitMs, true, { signal: hooks.stopping }).catch(() => false);
    if (!waited) return { kind: 'interrupted' };
  }
}
