import { postgresUrl, withPool } from './postgres-database';
import { withSearchPath } from './postgres-urls';
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
