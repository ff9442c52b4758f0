import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { errorMessage } from './error-message';

export interface KeepTryingOptions {
  readonly stopping: AbortSignal;
  readonly logger: Logger;
  /** Called after each failed attempt, e.g. to stop waiting for the first success. */
  readonly onFailure?: (error: unknown) => void;
}

/**
 * Runs `step` until it succeeds, waiting 0.5 s, 1 s, 2 s … (at most 10 s) between attempts, so a
 * broker or database that is down at start-up or restarting is simply waited for. Resolves false
 * if stopped.
 */
export async function keepTrying(
  what: string,
  step: () => Promise<unknown>,
  options: KeepTryingOptions,
): Promise<boolean> {
  for (let attempt = 1; !options.stopping.aborted; attempt += 1) {
    try {
      await step();
      return true;
    } catch (error: unknown) {
      const waitMs = Math.min(10_000, 500 * 2 ** (attempt - 1));
      options.logger.warn(
        { attempt, waitMs, error: errorMessage(error) },
        `could not ${what}; retrying`,
      );
      options.onFailure?.(error);
      await delay(waitMs, undefined, { signal: options.stopping }).catch(() => undefined);
    }
  }
  return false;
}
