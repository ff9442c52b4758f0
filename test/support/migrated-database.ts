import pino from 'pino';
import { MIGRATIONS } from '../../src/adapters/postgres/migration-list';
import {
  openMigratedDatabase,
  type PostgresDatabase,
} from '../../src/adapters/postgres/postgres-database';

/** The service's own database object on `url`, its schema migrated (a failure says why). */
export const migratedDatabase = (url: string): Promise<PostgresDatabase> =>
  openMigratedDatabase(url, MIGRATIONS, pino({ level: 'silent' }));
