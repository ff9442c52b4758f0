import type { DependencyContainer } from 'tsyringe';
import type { Logger } from 'pino';
import { PROCESSED_EVENT_STORE } from '../application/processed-event-store.port';
import { createPostgresPool } from '../adapters/postgres/postgres-pool';
import { PostgresDatabase } from '../adapters/postgres/postgres-database';
import { PostgresProcessedEventStore } from '../adapters/postgres/postgres-processed-event-store';
import { MIGRATIONS } from '../adapters/postgres/migration-list';
import { registerDefault } from './port-registry';
import type { RunningStore } from './running-store';

/**
 * Opens the pool on `databaseUrl` and migrates the schema before this resolves; when the
 * database is unreachable it resolves after the first failed attempt and keeps migrating in the
 * background (readiness says 503 meanwhile).
 */
export async function startPostgresStore(
  container: DependencyContainer,
  databaseUrl: string,
  logger: Logger,
): Promise<RunningStore> {
  const database = new PostgresDatabase(createPostgresPool(databaseUrl, logger), logger);
  registerDefault(
    container,
    PROCESSED_EVENT_STORE,
    () => new PostgresProcessedEventStore(database),
  );
  await database.startMigrating(MIGRATIONS);
  return { stop: () => database.close() };
}
