import type { DependencyContainer } from 'tsyringe';
import { CLOCK } from '../application/clock.port';
import { PROCESSED_EVENT_STORE } from '../application/processed-event-store.port';
import { InMemoryProcessedEventStore } from '../adapters/memory/in-memory-processed-event-store';
import { registerDefault, resolvePort } from './port-registry';
import type { AdapterSet, Checks } from './adapter-set';
import { StoreReadiness } from './store-readiness';
import { registerSetbacks } from './event-setbacks';

/** Keeps at most `maxEvents` processed events, and `maxBytes` of them, in this process. */
export class MemoryStore implements AdapterSet {
  checks: () => Promise<Checks> = async () => ({});
  causes: () => Promise<readonly string[]> = async () => [];

  constructor(private readonly limits: { readonly maxEvents: number; readonly maxBytes: number }) {}

  register(container: DependencyContainer): void {
    const { maxEvents, maxBytes } = this.limits;
    registerSetbacks(container, container.isRegistered(PROCESSED_EVENT_STORE, false));
    registerDefault(
      container,
      PROCESSED_EVENT_STORE,
      (c) => new InMemoryProcessedEventStore(resolvePort(c, CLOCK), maxEvents, maxBytes),
    );
  }

  async start(container: DependencyContainer): Promise<void> {
    const readiness = new StoreReadiness(container);
    this.checks = readiness.checks;
    this.causes = readiness.causes;
  }

  async stop(): Promise<void> {}
}
