import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { Migration } from './migration';
import { migrate } from './postgres-migrator';
import { createPostgresPool, type PostgresConnection } from './postgres-pool';
import { errorMessage } from '../shared/error-message';

/**
 * The connection pool and the schema it needs. Queries wait for the schema: until `migrate`
 * succeeded once, the store answers that it is not migrated (readiness says 503), so a database
 * that is down at start-up is waited for, migrated in the background by the service's wiring.
 */
export class PostgresDatabase {
  private migrated = false;
  private migrationFailure: string | undefined;
  private closed: Promise<void> | undefined;

  constructor(
    readonly pool: Pool,
    private readonly logger: Logger,
  ) {}

  /** One attempt to bring the schema up to date; rejects if the database refused or is away. */
  async migrate(migrations: readonly Migration[]): Promise<void> {
    try {
      const versions = await migrate(this.pool, migrations);
      this.logger.info({ versions }, 'database schema is up to date');
      this.migrated = true;
    } catch (error) {
      this.migrationFailure = errorMessage(error);
      throw error;
    }
  }

  /** True once this instance has seen the schema up to date; queries wait for it. */
  isMigrated(): boolean {
    return this.migrated;
  }

  /**
   * Why queries wait: the schema is not migrated yet, and what the last attempt failed on (a
   * database unreachable at start-up says so rather than only that the schema waits).
   */
  notMigratedReason(): string {
    const failure = this.migrationFailure;
    return `the database schema is not migrated yet${failure === undefined ? '' : `: ${failure}`}`;
  }

  /** Waits for queries in flight and closes every connection. Idempotent. */
  close(): Promise<void> {
    this.closed ??= this.pool.end();
    return this.closed;
  }
}

/**
 * A database on `connection` whose schema is migrated before this resolves; a failure rejects,
 * with the pool closed. For tools and tests that need the schema now rather than in the
 * background.
 */
export async function openMigratedDatabase(
  connection: PostgresConnection,
  migrations: readonly Migration[],
  logger: Logger,
): Promise<PostgresDatabase> {
  const database = new PostgresDatabase(createPostgresPool(connection, logger), logger);
  await database.migrate(migrations).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  return database;
}
