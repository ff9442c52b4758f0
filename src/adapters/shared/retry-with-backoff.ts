import { setTimeout as delay } from 'node:timers/promises';
import { isRight } from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';

/** How long to wait between attempts, and when to stop trying. */
export interface BackoffPolicy {
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** Attempts before giving up; undefined: as many as it takes. */
  readonly maxAttempts?: number | undefined;
  /**
   * The instant (milliseconds, by the hooks' `now`) after which no attempt starts: a wait that
   * would end past it is given up instead. Undefined: no deadline.
   */
  readonly giveUpAt?: number | undefined;
}

export type Retried<E, A> =
  | { readonly kind: 'succeeded'; readonly value: A }
  | { readonly kind: 'exhausted'; readonly attempts: number; readonly lastError: E }
  | { readonly kind: 'interrupted' };

export interface RetryHooks<E> {
  /** Called before each wait, e.g. to log and to keep a consumer group session alive. */
  readonly beforeRetry?: (attempt: number, error: E, waitMs: number) => Promise<void> | void;
  /** Aborted when the process is shutting down: stop waiting, try no more. */
  readonly stopping?: AbortSignal;
  /** The clock `giveUpAt` is read on; by default the monotonic one, which never steps back. */
  readonly now?: () => number;
}

/**
 * Runs `attempt` until it succeeds, waiting `firstDelayMs`, then twice as long each time up to
 * `maxDelayMs`, between tries. A failure is never skipped: only a bounded policy (attempts or a
 * deadline) gives up, and then says so; shutdown interrupts the waiting. The one retry loop of
 * the service: for events a store refused, dead letters, produce requests and connections alike.
 */
export async function retryWithBackoff<E, A>(
  attempt: TaskEither<E, A>,
  policy: BackoffPolicy,
  { beforeRetry, stopping, now = () => performance.now() }: RetryHooks<E> = {},
): Promise<Retried<E, A>> {
  for (let attempts = 1; ; attempts += 1) {
    const result = await attempt();
    if (isRight(result)) return { kind: 'succeeded', value: result.right };
    const waitMs = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (attempts - 1));
    const outOfAttempts = policy.maxAttempts !== undefined && attempts >= policy.maxAttempts;
    const outOfTime = policy.giveUpAt !== undefined && now() + waitMs >= policy.giveUpAt;
    if (outOfAttempts || outOfTime) return { kind: 'exhausted', attempts, lastError: result.left };
    if (stopping?.aborted === true) return { kind: 'interrupted' };
    await beforeRetry?.(attempts, result.left, waitMs);
    const waited = await delay(waitMs, true, { signal: stopping }).catch(() => false);
    if (!waited) return { kind: 'interrupted' };
  }
}
