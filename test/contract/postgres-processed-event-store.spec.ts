import { PostgresProcessedEventStore } from '../../src/adapters/postgres/postgres-processed-event-store';
import { suiteDatabase } from '../support/migrated-database';
import { processedEventStoreContract } from './processed-event-store.contract';

describe('PostgreSQL, in a schema of this suite', () => {
  const database = suiteDatabase('contract');

  // No bounded variant: PostgreSQL keeps every event.
  processedEventStoreContract('PostgresProcessedEventStore', async () => ({
    store: new PostgresProcessedEventStore(database()),
  }));
});
