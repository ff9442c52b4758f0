import type { DependencyContainer } from 'tsyringe';
import type { Logger } from 'pino';
import { EVENT_PUBLISHER } from './application/event-publisher.port';
import type { ProcessEvent } from './application/process-event';
import type { RedeliveryPolicy } from './adapters/shared/redelivery';
import type { CheckStatus } from './adapters/http/health-routes';
import { InMemoryEventBus } from './adapters/memory/in-memory-event-bus';
import type { PartitionLag, ServiceMetrics } from './adapters/shared/service-metrics';
import { registerDefault } from './port-registry';

/** The publishing and delivering side of the service, whichever bus it is. */
export interface RunningBus {
  checks(): Readonly<Record<string, CheckStatus>>;
  /** The consumer group's lag per partition, where the bus has one (Kafka). */
  readonly lag?: () => Promise<readonly PartitionLag[]>;
  /** Delivers or commits what is in hand, then disconnects. */
  stop(): Promise<void>;
}

export interface BusDependencies {
  readonly processEvent: ProcessEvent;
  readonly redelivery: RedeliveryPolicy;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  /** Called when delivery broke for good; the process should exit non-zero. */
  readonly onFatal: (error: Error) => void;
}

export const checkStatus = (up: boolean): CheckStatus => (up ? 'up' : 'down');

export function startMemoryBus(container: DependencyContainer, deps: BusDependencies): RunningBus {
  const bus = new InMemoryEventBus(deps.processEvent, deps.redelivery, deps);
  registerDefault(container, EVENT_PUBLISHER, () => bus);
  bus.start();
  return { checks: () => ({ bus: 'up' }), stop: () => bus.stop() };
}
