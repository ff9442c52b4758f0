import { expect } from 'chai';
import { freshSchema, type TestSchema } from '../support/postgres-schema';
import { throughPort } from '../support/postgres-urls';
import { withPool } from '../support/postgres-database';
import { freePort } from '../support/free-port';
import { npmScript } from '../support/npm-script';
import { MIGRATIONS } from '../../src/adapters/postgres/migration-list';

const versions = MIGRATIONS.map((migration) => migration.version);
const latest = versions.at(-1);

/** `npm run migrate` as an operator runs it: its exit code and what it wrote to stderr. */
async function migrateCommand(databaseUrl: string): Promise<{ code: number; stderr: string }> {
  const { code, stderr } = await npmScript('migrate', [], { DATABASE_URL: databaseUrl });
  return { code, stderr };
}

describe('npm run migrate', () => {
  let schema: TestSchema;
  before(async () => (schema = await freshSchema('command')));
  after(async () => schema?.drop());

  it('migrates the database, and says so in one line', async () => {
    expect(await migrateCommand(schema.url)).to.deep.equal({
      code: 0,
      stderr: `applied migrations ${versions.join(', ')}; database schema at version ${latest}\n`,
    });
    const tables = await withPool(schema.url, (pool) =>
      pool.query('SELECT count(*) FROM processed_events'),
    );
    expect(tables.rows).to.have.length(1);
    expect((await migrateCommand(schema.url)).stderr).to.equal(
      `database schema already at version ${latest}\n`,
    );
  });

  it('exits 1 with one line naming the problem when the database is unreachable', async () => {
    const { code, stderr } = await migrateCommand(throughPort(schema.url, await freePort()));
    expect(code).to.equal(1);
    expect(stderr).to.match(/^migrate: connect ECONNREFUSED 127\.0\.0\.1:\d+\n$/);
  });
});
