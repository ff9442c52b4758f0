import type { DependencyContainer } from 'tsyringe';
import type { Logger } from 'pino';
import { PROCESSED_EVENT_STORE } from '../application/processed-event-store.port';
import { createPostgresPool, type PostgresConnection } from '../adapters/postgres/postgres-pool';
import { PostgresDatabase } from '../adapters/postgres/postgres-database';
import { PostgresProcessedEventStore } from '../adapters/postgres/postgres-processed-event-store';
import { postgresTroubleOf } from '../adapters/postgres/postgres-trouble';
import { MIGRATIONS } from '../adapters/postgres/migration-list';
import type { AdapterSet, Checks } from './adapter-set';
import { StoreReadiness } from './store-readiness';
import { connectInOrder, warningPerFailure, type Connecting } from './connect-in-order';
import { registerSetbacks } from './event-setbacks';

/**
 * The store in PostgreSQL on `connection`: the pool opens on start, and the schema is migrated
 * before the bus delivers; when the database is unreachable, start resolves after the first
 * failed attempt and migrating goes on in the background (readiness says 503 meanwhile). A store
 * a test registered is used as it is: no pool is opened.
 */
export class PostgresStore implements AdapterSet {
  checks: () => Promise<Checks> = async () => ({});
  causes: () => Promise<readonly string[]> = async () => [];
  private database: PostgresDatabase | undefined;
  private migrating: Connecting | undefined;

  constructor(
    private readonly connection: PostgresConnection,
    private readonly logger: Logger,
  ) {}

  register(container: DependencyContainer): void {
    registerSetbacks(container, true);
    if (container.isRegistered(PROCESSED_EVENT_STORE, false)) return;
    const pool = createPostgresPool(this.connection, this.logger);
    const database = new PostgresDatabase(pool, this.logger);
    this.database = database;
    container.register(PROCESSED_EVENT_STORE, {
      useValue: new PostgresProcessedEventStore(database),
    });
  }

  async start(container: DependencyContainer): Promise<void> {
    const readiness = new StoreReadiness(container, postgresTroubleOf);
    this.checks = readiness.checks;
    this.causes = readiness.causes;
    const database = this.database;
    if (database === undefined) return;
    this.migrating = connectInOrder(
      [['migrate the database', () => database.migrate(MIGRATIONS)]],
      warningPerFailure(this.logger),
    );
    await this.migrating.settledOrFailedOnce;
  }

  async stop(): Promise<void> {
    await this.migrating?.stop();
    await this.database?.close();
  }
}
