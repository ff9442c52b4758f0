import type { DependencyContainer } from 'tsyringe';
import type { CheckStatus } from '../adapters/http/health-routes';

export type Checks = Readonly<Record<string, CheckStatus>>;

/**
 * The one shape of every adapter set the composition root chooses from (the memory or Kafka bus,
 * the memory or PostgreSQL store): it registers its ports, starts, answers readiness checks for
 * its parts and stops.
 */
export interface AdapterSet {
  /** Registers the set's ports, except those registered already (by a test, by a bench). */
  register(container: DependencyContainer): void;
  /**
   * Connects what the set needs. Resolves once up, or after the first failed attempt while it
   * goes on trying in the background (readiness says 503 meanwhile).
   */
  start(container: DependencyContainer): Promise<void>;
  checks(): Promise<Checks>;
  /**
   * Why its parts are down, in an operator's words (`kafka: authentication failed`), if known;
   * asked only while one of its checks says down.
   */
  causes?(): Promise<readonly string[]>;
  /** Finishes what is in hand, then lets go of its connections. */
  stop(): Promise<void>;
}

/** A readiness check's answer for a part that is, or is not, connected. */
export const upOrDown = (up: boolean): CheckStatus => (up ? 'up' : 'down');
