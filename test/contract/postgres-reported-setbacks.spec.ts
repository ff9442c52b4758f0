import { PostgresProcessedEventStore } from '../../src/adapters/postgres/postgres-processed-event-store';
import { ReportedSetbacks } from '../../src/adapters/memory/reported-setbacks';
import { suiteDatabase } from '../support/migrated-database';
import { eventSetbacksContract } from './event-setbacks.contract';

describe('Setbacks over PostgreSQL, in a schema of this suite', () => {
  const database = suiteDatabase('setbacks');

  // As the PostgreSQL wiring has it: the store for every instance, a copy here for its outages.
  eventSetbacksContract('ReportedSetbacks keeping 10,000 here, over PostgreSQL', async () => {
    const store = new PostgresProcessedEventStore(database());
    let now = new Date();
    return {
      setbacks: new ReportedSetbacks(store, { now: () => now }, 10_000),
      store,
      setNow: (at) => (now = at),
    };
  });
});
