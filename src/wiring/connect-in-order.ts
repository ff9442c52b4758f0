import * as E from 'fp-ts/Either';
import type { Logger } from 'pino';
import { retryWithBackoff } from '../adapters/shared/retry-with-backoff';
import { errorMessage } from '../adapters/shared/error-message';
import { UNTIL_IT_ANSWERS } from './retry-policies';

/** One step of connecting to a server: what it does, for the log, and the attempt itself. */
export type ConnectStep = readonly [what: string, attempt: () => Promise<unknown>];

/** What is said of the attempts: each failure, and success once every step succeeded. */
export interface ConnectReport {
  failed(what: string, attempt: number, error: unknown, waitMs: number): void;
  connected(): void;
}

/** A warning per failed attempt, for a server whose failures need no telling apart. */
export const warningPerFailure = (logger: Logger): ConnectReport => ({
  failed: (what, attempt, error, waitMs) =>
    logger.warn({ attempt, waitMs, error: errorMessage(error) }, `could not ${what}; retrying`),
  connected: () => undefined,
});

export interface Connecting {
  /** Resolves true once every step succeeded, false when stopped first. */
  readonly connected: Promise<boolean>;
  /** Resolves once every step succeeded, or at the first failed attempt of any step. */
  readonly settledOrFailedOnce: Promise<void>;
  /** Stops retrying and waits for the attempt in progress. */
  stop(): Promise<void>;
}

/**
 * Runs the steps in order in the background, each retried until it succeeds (a failure is
 * logged), so a server that is down at start-up or restarting is waited for without holding
 * start-up up.
 */
export function connectInOrder(steps: readonly ConnectStep[], report: ConnectReport): Connecting {
  const stopping = new AbortController();
  let failedOnce: () => void = () => undefined;
  const firstFailure = new Promise<void>((resolve) => (failedOnce = resolve));
  const connected = (async () => {
    for (const [what, step] of steps) {
      if (stopping.signal.aborted) return false;
      const tried = await retryWithBackoff(() => step().then(E.right, E.left), UNTIL_IT_ANSWERS, {
        stopping: stopping.signal,
        beforeRetry: (attempt, error: unknown, waitMs) => {
          report.failed(what, attempt, error, waitMs);
          failedOnce();
        },
      });
      if (tried.kind !== 'succeeded') return false;
    }
    report.connected();
    return true;
  })();
  return {
    connected,
    settledOrFailedOnce: Promise.race([connected.then(() => undefined), firstFailure]),
    stop: async () => {
      stopping.abort();
      await connected;
    },
  };
}
