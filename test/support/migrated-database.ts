import pino from 'pino';
import { MIGRATIONS } from '../../src/adapters/postgres/migration-list';
import {
  openMigratedDatabase,
  type PostgresDatabase,
} from '../../src/adapters/postgres/postgres-database';
import { freshSchema, type TestSchema } from './postgres-schema';

/** The service's own database object on `url`, its schema migrated (a failure says why). */
export const migratedDatabase = (url: string): Promise<PostgresDatabase> =>
  openMigratedDatabase({ url }, MIGRATIONS, pino({ level: 'silent' }));

/**
 * A migrated database in a schema of the calling suite's own, opened before its tests and
 * dropped after them: call it in a `describe`, and the function it returns inside the tests.
 */
export function suiteDatabase(prefix: string): () => PostgresDatabase {
  let schema: TestSchema | undefined;
  let database: PostgresDatabase | undefined;
  before(async () => {
    schema = await freshSchema(prefix);
    database = await migratedDatabase(schema.url);
  });
  after(async () => {
    await database?.close();
    await schema?.drop();
  });
  return () => {
    if (database === undefined) throw new Error('the database was not opened');
    return database;
  };
}
