import { PostgresProcessedEventStore } from '../../src/adapters/postgres/postgres-processed-event-store';
import type { PostgresDatabase } from '../../src/adapters/postgres/postgres-database';
import { ReportedSetbacks } from '../../src/adapters/memory/reported-setbacks';
import { freshSchema, migratedDatabase, type TestSchema } from '../support/postgres-schema';
import { eventSetbacksContract } from './event-setbacks.contract';

describe('Setbacks over PostgreSQL, in a schema of this suite', () => {
  let schema: TestSchema | undefined;
  let database: PostgresDatabase | undefined;

  before(async () => {
    schema = await freshSchema('setbacks');
    database = await migratedDatabase(schema.url);
  });

  after(async () => {
    await database?.close();
    await schema?.drop();
  });

  // As the PostgreSQL wiring has it: the store for every instance, a copy here for its outages.
  eventSetbacksContract('ReportedSetbacks keeping 10,000 here, over PostgreSQL', async () => {
    if (database === undefined) throw new Error('the database was not opened');
    const store = new PostgresProcessedEventStore(database);
    let now = new Date();
    return {
      setbacks: new ReportedSetbacks(store, { now: () => now }, 10_000),
      store,
      setNow: (at) => (now = at),
    };
  });
});
