import type { DependencyContainer } from 'tsyringe';
import { EVENT_PUBLISHER } from '../application/event-publisher.port';
import { InMemoryEventBus } from '../adapters/memory/in-memory-event-bus';
import { DEAD_LETTERS } from '../application/dead-letters.port';
import { NoDeadLetters } from '../adapters/memory/no-dead-letters';
import { registerDefault } from './port-registry';
import type { AdapterSet, Checks } from './adapter-set';
import { deliveryOf, type BusSettings } from './bus-dependencies';

/**
 * Publishes and delivers within this process: nothing to connect, always up. With a publisher a
 * test or a bench registered, the delivery loop runs and waits for nothing.
 */
export class MemoryBus implements AdapterSet {
  private bus: InMemoryEventBus | undefined;

  constructor(
    private readonly maxPendingEvents: number,
    private readonly settings: BusSettings,
  ) {}

  register(container: DependencyContainer): void {
    registerDefault(container, EVENT_PUBLISHER, (c) => this.busOf(c));
    registerDefault(container, DEAD_LETTERS, () => new NoDeadLetters());
  }

  async start(container: DependencyContainer): Promise<void> {
    this.settings.logger.warn(
      { eventBus: 'memory' },
      'EVENT_BUS=memory: an acknowledged event lives only in this process until it is processed, and a crash or a kill loses it; use EVENT_BUS=kafka where events matter',
    );
    this.busOf(container).start();
  }

  async checks(): Promise<Checks> {
    return { bus: 'up' };
  }

  async stop(): Promise<void> {
    await this.bus?.stop();
  }

  private busOf(container: DependencyContainer): InMemoryEventBus {
    if (this.bus !== undefined) return this.bus;
    const { processEvent, reports } = deliveryOf(container, this.settings.logger);
    const { storeRetries } = this.settings;
    this.bus = new InMemoryEventBus(processEvent, storeRetries, this.maxPendingEvents, reports);
    return this.bus;
  }
}
