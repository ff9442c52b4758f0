import { expect } from 'chai';
import pino from 'pino';
import type { Pool } from 'pg';
import { createPostgresPool } from '../../src/adapters/postgres/postgres-pool';
import { migrate } from '../../src/adapters/postgres/postgres-migrator';
import { MIGRATIONS } from '../../src/adapters/postgres/migration-list';
import type { Migration } from '../../src/adapters/postgres/migration';
import { freshSchema, type TestSchema } from '../support/postgres-schema';

const silent = pino({ level: 'silent' });
// Slow enough that the second migrator surely arrives while the first one holds the lock.
const slowFirst: Migration = {
  ...MIGRATIONS[0]!,
  sql: `SELECT pg_sleep(0.3);\n${MIGRATIONS[0]!.sql}`,
};

describe('The PostgreSQL migrator', () => {
  let schema: TestSchema;
  const pools: Pool[] = [];
  const pool = (): Pool => {
    const created = createPostgresPool({ url: schema.url }, silent);
    pools.push(created);
    return created;
  };
  const history = async () =>
    (await pool().query('SELECT version, name FROM schema_migrations ORDER BY version')).rows;

  beforeEach(async () => (schema = await freshSchema('migrator')));
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.end()));
    await schema.drop();
  });

  it('lists its migrations as versions 1, 2, 3 … in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).to.deep.equal(MIGRATIONS.map((_, i) => i + 1));
  });

  it('applies each version once when two instances start at once, and both succeed', async () => {
    const applied = await Promise.all([migrate(pool(), [slowFirst]), migrate(pool(), [slowFirst])]);
    expect(applied.map((versions) => versions.length).sort()).to.deep.equal([0, 1]);
    expect(await history()).to.deep.equal([{ version: 1, name: 'processed-events' }]);
  });

  it('applies nothing when the schema is up to date', async () => {
    await migrate(pool(), MIGRATIONS);
    expect(await migrate(pool(), MIGRATIONS)).to.deep.equal([]);
    expect(await history()).to.have.length(MIGRATIONS.length);
  });

  it('leaves the schema as it was when a migration fails', async () => {
    const broken: Migration = { version: 2, name: 'broken', sql: 'CREATE TABLE oops (' };
    const failure = await migrate(pool(), [...MIGRATIONS, broken]).catch((e: Error) => e);
    expect(failure).to.be.instanceOf(Error);
    const tables = await pool().query(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
      [schema.name],
    );
    expect(tables.rows).to.deep.equal([]);
  });
});
