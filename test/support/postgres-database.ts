import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { dockerAnswers, testDependency } from './test-dependency';

// The server a developer machine (and .ci/run) provides: trust auth, database `test`.
const LOCAL_URL = 'postgresql://postgres@127.0.0.1:5432/test';
const CONTAINER_IMAGE = 'postgres:16-alpine';
const run = promisify(execFile);

interface Database {
  readonly url: string;
  readonly source: 'environment' | 'testcontainers' | 'local server';
  readonly stop: () => Promise<void>;
}

const database = testDependency(findDatabase);

/**
 * The PostgreSQL URL the tests use, found in this order: `DATABASE_URL` from the environment, a
 * testcontainers server where a Docker engine answers, else the local server on 127.0.0.1:5432.
 * A server that does not answer fails the calling test; nothing is skipped.
 */
export const postgresUrl = (): Promise<string> => database.get().then((found) => found.url);

/** Stops a server only if these tests started it. */
export const releasePostgresDatabase = database.release;

async function findDatabase(): Promise<Database> {
  const fromEnvironment = process.env.DATABASE_URL?.trim();
  const found: Database =
    fromEnvironment !== undefined && fromEnvironment !== ''
      ? { url: fromEnvironment, source: 'environment', stop: async () => {} }
      : (await dockerAnswers())
        ? await startContainer()
        : { url: LOCAL_URL, source: 'local server', stop: async () => {} };
  await withPool(found.url, (pool) => pool.query('SELECT 1')).catch((error: unknown) => {
    throw new Error(`no PostgreSQL answers at ${found.url} (${found.source}): ${String(error)}`);
  });
  return found;
}

async function startContainer(): Promise<Database> {
  const container = await new PostgreSqlContainer(CONTAINER_IMAGE).start();
  return {
    url: container.getConnectionUri(),
    source: 'testcontainers',
    stop: async () => {
      await container.stop();
    },
  };
}

/** Runs `work` with a short-lived pool of its own. */
export async function withPool<T>(url: string, work: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = new Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5000 });
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

const TLS_SCRIPT = resolve(__dirname, '../../scripts/postgres-tls.sh');

/**
 * The CA (a PEM file's path) that the test server's TLS certificate is signed by:
 * `DATABASE_SSL_CA_FILE` from the environment for a server prepared elsewhere, else the project's
 * script turns TLS on in the local server and says where its CA is.
 */
export async function postgresTlsCa(): Promise<string> {
  const fromEnvironment = process.env.DATABASE_SSL_CA_FILE?.trim();
  if (fromEnvironment !== undefined && fromEnvironment !== '') return fromEnvironment;
  const { stdout } = await run('bash', [TLS_SCRIPT], {
    env: { ...process.env, DATABASE_URL: await postgresUrl() },
    timeout: 60_000,
  });
  return stdout.trim().split('\n').pop() ?? '';
}
