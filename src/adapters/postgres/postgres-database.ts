import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { keepTrying } from '../shared/keep-trying';
import type { Migration } from './migration';
import { migrate } from './postgres-migrator';

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
