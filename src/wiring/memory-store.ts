import type { DependencyContainer } from 'tsyringe';
import { PROCESSED_EVENT_STORE } from '../application/processed-event-store.port';
import { InMemoryProcessedEventStore } from '../adapters/memory/in-memory-processed-event-store';
import { registerDefault, resolvePort } from './port-registry';
import { CLOCK } from '../application/clock.port';
import { NOTHING_TO_CLOSE, type RunningStore } from './running-store';

/** Keeps at most `maxEvents` processed events, and `maxBytes` of them, in this process. */
export function startMemoryStore(
  container: DependencyContainer,
  { maxEvents, maxBytes }: { readonly maxEvents: number; readonly maxBytes: number },
): RunningStore {
  registerDefault(
    container,
    PROCESSED_EVENT_STORE,
    () => new InMemoryProcessedEventStore(resolvePort(container, CLOCK), maxEvents, maxBytes),
  );
  return NOTHING_TO_CLOSE;
}
