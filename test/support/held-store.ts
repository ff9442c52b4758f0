import type { ProcessedEventStore } from '../../src/application/processed-event-store.port';
import { InMemoryProcessedEventStore } from '../../src/adapters/memory/in-memory-processed-event-store';
import { SystemClock } from '../../src/adapters/system/system-clock';

/**
 * The in-memory store, with every save held until `release`: a delivered event stays
 * unprocessed, and is not retried either, for as long as a test needs to look at it.
 */
export function heldStore(): { store: ProcessedEventStore; release: () => void } {
  const store = new InMemoryProcessedEventStore(new SystemClock(), 100);
  let release = (): void => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    store: {
      saveIfNew: (delivered) => () => released.then(store.saveIfNew(delivered)),
      findById: (eventId) => store.findById(eventId),
      findByIds: (eventIds) => store.findByIds(eventIds),
      recordSetback: (eventIds, setback) => store.recordSetback(eventIds, setback),
      findSetback: (eventId) => store.findSetback(eventId),
      list: (query) => store.list(query),
      follow: (query) => store.follow(query),
      followingEnd: () => store.followingEnd(),
      ping: () => store.ping(),
    },
    release: () => release(),
  };
}
