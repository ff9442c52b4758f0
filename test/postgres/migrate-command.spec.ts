import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { freshSchema, type TestSchema, throughPort } from '../support/postgres-schema';
import { withPool } from '../support/postgres-database';
import { freePort } from '../support/free-port';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');

/** `npm run migrate` as an operator runs it: its exit code and what it wrote to stderr. */
async function migrateCommand(databaseUrl: string): Promise<{ code: number; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    DATABASE_URL: databaseUrl,
  };
  return run('npm', ['run', '--silent', 'migrate'], { cwd: ROOT, env, timeout: 60_000 }).then(
    ({ stderr }) => ({ code: 0, stderr: withoutNpmNotices(stderr) }),
    (error: { code: number; stderr: string }) => ({
      code: error.code,
      stderr: withoutNpmNotices(error.stderr),
    }),
  );
}

// npm itself may warn about the user's npmrc; only the command's own lines are under test.
const withoutNpmNotices = (text: string): string => text.replace(/^npm warn .*\n/gm, '');

describe('npm run migrate', () => {
  let schema: TestSchema;
  before(async () => (schema = await freshSchema('command')));
  after(async () => schema?.drop());

  it('migrates the database, and says so in one line', async () => {
    expect(await migrateCommand(schema.url)).to.deep.equal({
      code: 0,
      stderr: 'applied migrations 1; database schema at version 1\n',
    });
    const tables = await withPool(schema.url, (pool) =>
      pool.query('SELECT count(*) FROM processed_events'),
    );
    expect(tables.rows).to.have.length(1);
    expect((await migrateCommand(schema.url)).stderr).to.equal(
      'database schema already at version 1\n',
    );
  });

  it('exits 1 with one line naming the problem when the database is unreachable', async () => {
    const { code, stderr } = await migrateCommand(throughPort(schema.url, await freePort()));
    expect(code).to.equal(1);
    expect(stderr).to.match(/^migrate: connect ECONNREFUSED 127\.0\.0\.1:\d+\n$/);
  });
});
