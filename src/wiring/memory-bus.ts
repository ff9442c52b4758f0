import type { DependencyContainer } from 'tsyringe';
import { EVENT_PUBLISHER } from '../application/event-publisher.port';
import { InMemoryEventBus } from '../adapters/memory/in-memory-event-bus';
import { registerDefault } from './port-registry';
import type { BusDependencies, RunningBus } from './running-bus';

/** Publishes and delivers within this process: nothing to connect, always up. */
export function startMemoryBus(
  container: DependencyContainer,
  maxPendingEvents: number,
  deps: BusDependencies,
): RunningBus {
  deps.logger.warn(
    { eventBus: 'memory' },
    'EVENT_BUS=memory: an acknowledged event lives only in this process until it is processed, and a crash or a kill loses it; use EVENT_BUS=kafka where events matter',
  );
  const bus = new InMemoryEventBus(deps.processEvent, deps.redelivery, maxPendingEvents, deps);
  registerDefault(container, EVENT_PUBLISHER, () => bus);
  bus.start();
  return { checks: () => ({ bus: 'up' }), stop: () => bus.stop() };
}
