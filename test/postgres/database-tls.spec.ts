import { expect } from 'chai';
import { isLeft } from 'fp-ts/Either';
import pino from 'pino';
import { parseConfig } from '../../src/config/config';
import { createPostgresPool } from '../../src/adapters/postgres/postgres-pool';
import { postgresTlsCa, postgresUrl } from '../support/postgres-database';
import { freshSchema, type TestSchema } from '../support/postgres-schema';
import { npmScript } from '../support/npm-script';

const silent = pino({ level: 'silent' });

/** `url` with `sslmode` set as an operator sets it. */
const withMode = (url: string, mode: string): string => {
  const changed = new URL(url);
  changed.searchParams.set('sslmode', mode);
  return changed.toString();
};

/**
 * What the server says of the connection the service's pool opens for this environment
 * (DATABASE_URL and DATABASE_SSL_CA_FILE, read as the service reads them).
 */
async function connectionSecurity(
  env: Readonly<Record<string, string>>,
): Promise<{ ssl: boolean; version: string | null }> {
  const config = parseConfig(env);
  if (isLeft(config)) throw new Error(config.left);
  if (config.right.database === undefined) throw new Error('no database configured');
  const pool = createPostgresPool(config.right.database, silent);
  try {
    const { rows } = await pool.query<{ ssl: boolean; version: string | null }>(
      'SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
    );
    if (rows[0] === undefined) throw new Error('pg_stat_ssl has no row for this connection');
    return rows[0];
  } finally {
    await pool.end();
  }
}

describe('PostgreSQL over TLS (the local server, its TLS turned on by scripts/postgres-tls.sh)', () => {
  let url: string;
  let ca: string;
  before(async () => {
    ca = await postgresTlsCa();
    url = await postgresUrl();
  });

  it('encrypts the connection with sslmode=require', async () => {
    const security = await connectionSecurity({ DATABASE_URL: withMode(url, 'require') });
    expect(security.ssl).to.equal(true);
    expect(security.version).to.match(/^TLSv1\.[23]$/);
  });

  it('verifies the certificate and its host with sslmode=verify-full and the CA file', async () => {
    const env = { DATABASE_URL: withMode(url, 'verify-full'), DATABASE_SSL_CA_FILE: ca };
    expect((await connectionSecurity(env)).ssl).to.equal(true);
  });

  it("refuses a certificate that Node's CAs do not vouch for under verify-full", async () => {
    const refused = await connectionSecurity({ DATABASE_URL: withMode(url, 'verify-full') }).then(
      () => 'connected',
      (error: Error) => error.message,
    );
    expect(refused).to.equal('unable to verify the first certificate');
  });

  it('stays in plaintext with sslmode=disable, as without sslmode', async () => {
    expect((await connectionSecurity({ DATABASE_URL: withMode(url, 'disable') })).ssl).to.equal(
      false,
    );
    expect((await connectionSecurity({ DATABASE_URL: url })).ssl).to.equal(false);
  });

  describe('npm run migrate', () => {
    let schema: TestSchema;
    before(async () => (schema = await freshSchema('tls_migrate')));
    after(async () => schema?.drop());

    it('migrates over a verified TLS connection', async () => {
      const { code, stderr } = await npmScript('migrate', [], {
        DATABASE_URL: withMode(schema.url, 'verify-full'),
        DATABASE_SSL_CA_FILE: ca,
      });
      expect({ code, stderr }).to.deep.include({ code: 0 });
      expect(stderr).to.match(/^applied migrations [\d, ]+; database schema at version \d+\n$/);
    });
  });
});
