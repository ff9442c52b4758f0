import { PostgresProcessedEventStore } from '../../src/adapters/postgres/postgres-processed-event-store';
import type { PostgresDatabase } from '../../src/adapters/postgres/postgres-database';
import { freshSchema, type TestSchema } from '../support/postgres-schema';
import { migratedDatabase } from '../support/migrated-database';
import { processedEventStoreContract } from './processed-event-store.contract';

describe('PostgreSQL, in a schema of this suite', () => {
  let schema: TestSchema | undefined;
  let database: PostgresDatabase | undefined;

  before(async () => {
    schema = await freshSchema('contract');
    database = await migratedDatabase(schema.url);
  });

  after(async () => {
    await database?.close();
    await schema?.drop();
  });

  // No bounded variant: PostgreSQL keeps every event.
  processedEventStoreContract('PostgresProcessedEventStore', async () => {
    if (database === undefined) throw new Error('the database was not opened');
    return { store: new PostgresProcessedEventStore(database) };
  });
});
