import pino from 'pino';
import { MIGRATIONS } from '../../src/adapters/postgres/migration-list';
import {
  openMigratedDatabase,
  type PostgresDatabase,
} from '../../src/adapters/postgres/postgres-database';
import { postgresUrl, withPool } from './postgres-database';
import { unique } from './unique';

export interface TestSchema {
  readonly name: string;
  /** The database URL with this schema as its search path and `name` as application name. */
  readonly url: string;
  readonly drop: () => Promise<void>;
}

/**
 * A new, empty schema of one suite's own, so runs never see each other's tables or rows; the
 * service finds it through `?options=-c search_path=…` in its DATABASE_URL, as a user would.
 */
export async function freshSchema(prefix: string): Promise<TestSchema> {
  const base = await postgresUrl();
  const name = unique(`test_${prefix}`).replace(/-/g, '_');
  await withPool(base, (pool) => pool.query(`CREATE SCHEMA ${name}`));
  return {
    name,
    url: withSearchPath(base, name),
    drop: () =>
      withPool(base, (pool) => pool.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`)).then(),
  };
}

export function withSearchPath(base: string, schema: string): string {
  const url = new URL(base);
  const options = url.searchParams.get('options');
  url.searchParams.set('options', `${options ?? ''} -c search_path=${schema}`.trim());
  url.searchParams.set('application_name', schema);
  return url.toString();
}

/** The service's own database object on `url`, its schema migrated (a failure says why). */
export const migratedDatabase = (url: string): Promise<PostgresDatabase> =>
  openMigratedDatabase(url, MIGRATIONS, pino({ level: 'silent' }));

/** `url` with its host and port replaced by those of a proxy on this machine. */
export function throughPort(url: string, port: number): string {
  const changed = new URL(url);
  changed.hostname = '127.0.0.1';
  changed.port = String(port);
  return changed.toString();
}

/** Where `url` points, for a proxy to forward to. */
export const hostAndPort = (url: string): { host: string; port: number } => {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 5432) };
};
