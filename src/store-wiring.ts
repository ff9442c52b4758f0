import type { DependencyContainer } from 'tsyringe';
import type { Logger } from 'pino';
import type { Config } from './config';
import { PROCESSED_EVENT_STORE } from './application/processed-event-store.port';
import { InMemoryProcessedEventStore } from './adapters/memory/in-memory-processed-event-store';
import { createPostgresPool } from './adapters/postgres/postgres-pool';
import { PostgresDatabase } from './adapters/postgres/postgres-database';
import { PostgresProcessedEventStore } from './adapters/postgres/postgres-processed-event-store';
import { MIGRATIONS } from './adapters/postgres/migration-list';
import { registerDefault } from './port-registry';

/** The processed-event store's resources, closed after the bus stopped using them. */
export interface RunningStore {
  stop(): Promise<void>;
}

const nothingToClose: RunningStore = { stop: async () => undefined };

/**
 * Registers the store that `STORE` names, unless a test registered one. PostgreSQL: the pool is
 * created and migrations run before this resolves; when the database is unreachable it resolves
 * after the first failed attempt and keeps migrating in the background (readiness says 503).
 */
export async function startStore(
  container: DependencyContainer,
  config: Config,
  logger: Logger,
): Promise<RunningStore> {
  if (container.isRegistered(PROCESSED_EVENT_STORE, false)) return nothingToClose;
  if (config.store === 'memory') {
    registerDefault(
      container,
      PROCESSED_EVENT_STORE,
      () => new InMemoryProcessedEventStore(config.memoryStoreMaxEvents),
    );
    return nothingToClose;
  }
  if (config.databaseUrl === undefined) throw new Error('DATABASE_URL is required for postgres');
  const database = new PostgresDatabase(createPostgresPool(config.databaseUrl, logger), logger);
  registerDefault(
    container,
    PROCESSED_EVENT_STORE,
    () => new PostgresProcessedEventStore(database),
  );
  await database.startMigrating(MIGRATIONS);
  return { stop: () => database.close() };
}
