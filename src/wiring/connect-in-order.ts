import type { Logger } from 'pino';
import { keepTrying } from '../adapters/shared/keep-trying';

/** One step of connecting to a server: what it does, for the log, and the attempt itself. */
export type ConnectStep = readonly [what: string, attempt: () => Promise<unknown>];

export interface Connecting {
  /** Resolves true once every step succeeded, false when stopped first. */
  readonly connected: Promise<boolean>;
  /** Resolves at the first failed attempt of any step: the server is not there (yet). */
  readonly firstFailure: Promise<void>;
  /** Stops retrying and waits for the attempt in progress. */
  stop(): Promise<void>;
}

/**
 * Runs the steps in order in the background, each retried until it succeeds, so a server that
 * is down at start-up is waited for without holding start-up up.
 */
export function connectInOrder(steps: readonly ConnectStep[], logger: Logger): Connecting {
  const stopping = new AbortController();
  let failed: () => void = () => undefined;
  const firstFailure = new Promise<void>((resolve) => (failed = resolve));
  const options = { stopping: stopping.signal, logger, onFailure: () => failed() };
  const connected = (async () => {
    for (const [what, attempt] of steps) {
      if (!(await keepTrying(what, attempt, options))) return false;
    }
    return true;
  })();
  return {
    connected,
    firstFailure,
    stop: async () => {
      stopping.abort();
      await connected;
    },
  };
}
