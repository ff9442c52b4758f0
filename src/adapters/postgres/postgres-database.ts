import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { keepTrying } from '../shared/keep-trying';
import type { Migration } from './migration';
import { migrate } from './postgres-migrator';
import { createPostgresPool } from './postgres-pool';

/**
 * The connection pool and the schema it needs. Migrations are retried in the background until
 * they succeed, so a database that is down at start-up is waited for (readiness says 503) instead
 * of stopping the service, the way the Kafka bus waits for its broker.
 */
export class PostgresDatabase {
  private migrated = false;
  private migrating: Promise<boolean> = Promise.resolve(false);
  private closed: Promise<void> | undefined;
  private readonly stopping = new AbortController();

  constructor(
    readonly pool: Pool,
    private readonly logger: Logger,
  ) {}

  /** Starts migrating; resolves after the first attempt, successful or not. */
  startMigrating(migrations: readonly Migration[]): Promise<void> {
    let attempted: () => void = () => undefined;
    const firstAttempt = new Promise<void>((resolve) => (attempted = resolve));
    const step = async () => {
      const versions = await migrate(this.pool, migrations);
      this.logger.info({ versions }, 'database schema is up to date');
    };
    this.migrating = keepTrying('migrate the database', step, {
      stopping: this.stopping.signal,
      logger: this.logger,
      onFailure: () => attempted(),
    }).then((done) => {
      this.migrated = done;
      attempted();
      return done;
    });
    return firstAttempt;
  }

  /** True once this instance has seen the schema up to date; queries wait for it. */
  isMigrated(): boolean {
    return this.migrated;
  }

  /** Stops migrating, waits for queries in flight and closes every connection. Idempotent. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.stopping.abort();
      await this.migrating;
      await this.pool.end();
    })();
    return this.closed;
  }
}

/**
 * A database on `url` whose schema is migrated before this resolves; a failure rejects, with the
 * pool closed. For tools and tests that need the schema now rather than in the background.
 */
export async function openMigratedDatabase(
  url: string,
  migrations: readonly Migration[],
  logger: Logger,
): Promise<PostgresDatabase> {
  const pool = createPostgresPool(url, logger);
  await migrate(pool, migrations).catch(async (error: unknown) => {
    await pool.end();
    throw error;
  });
  const database = new PostgresDatabase(pool, logger);
  // Finds nothing left to do, and lets the store see the schema as up to date.
  await database.startMigrating(migrations);
  return database;
}
