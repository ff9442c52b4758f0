import { InMemoryProcessedEventStore } from '../../src/adapters/memory/in-memory-processed-event-store';
import { ReportedSetbacks } from '../../src/adapters/memory/reported-setbacks';
import type { ProcessedEventStore } from '../../src/application/processed-event-store.port';
import { FaultyStore } from '../support/faulty-store';
import { eventSetbacksContract, type SetbacksUnderTest } from './event-setbacks.contract';

const over = (store: ProcessedEventStore, keptHere: number): SetbacksUnderTest => {
  let now = new Date();
  const clock = { now: () => now };
  return {
    setbacks: new ReportedSetbacks(store, clock, keptHere),
    store,
    setNow: (at) => (now = at),
  };
};

// As the memory wiring has it: the store of this process keeps the setbacks, nothing else does.
eventSetbacksContract('ReportedSetbacks keeping none here, over the in-memory store', async () =>
  over(new InMemoryProcessedEventStore({ now: () => new Date() }, 100), 0),
);

// As a store that may fail gets it (see also the PostgreSQL spec): a copy of its own for outages.
eventSetbacksContract(
  'ReportedSetbacks keeping 10,000 here, over a store that may fail',
  async () => over(new FaultyStore({}), 10_000),
  async () =>
    over(new FaultyStore({ recordSetback: 'throws', findSetback: 'unavailable' }), 10_000),
);
