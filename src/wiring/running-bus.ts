import type { Logger } from 'pino';
import type { ProcessEvent } from '../application/process-event';
import type { EventSetbacks } from '../application/event-setbacks.port';
import type { BackoffPolicy } from '../adapters/shared/capped-backoff';
import type { CheckStatus } from '../adapters/http/health-routes';
import type { PartitionLag, ServiceMetrics } from '../adapters/shared/service-metrics';

/** The publishing and delivering side of the service, whichever bus it is. */
export interface RunningBus {
  checks(): Readonly<Record<string, CheckStatus>>;
  /** The consumer group's lag per partition, where the bus has one (Kafka). */
  readonly lag?: () => Promise<readonly PartitionLag[]>;
  /** Delivers or commits what is in hand, then disconnects. */
  stop(): Promise<void>;
}

/** What every bus is given by the composition root. */
export interface BusDependencies {
  readonly processEvent: ProcessEvent;
  readonly redelivery: BackoffPolicy;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly setbacks: EventSetbacks;
  /** Called when delivery broke for good; the process should exit non-zero. */
  readonly onFatal: (error: Error) => void;
}

/** A readiness check's answer for a part that is, or is not, connected. */
export const upOrDown = (up: boolean): CheckStatus => (up ? 'up' : 'down');
