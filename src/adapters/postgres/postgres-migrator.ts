import type { Pool, PoolClient, QueryConfig, QueryResult } from 'pg';
import type { Migration } from './migration';
import { asError } from '../shared/error-message';

// One key for every instance of the service: whoever holds it migrates, the others wait for it
// and then find nothing left to do. Any fixed 64-bit number works; this one is "uesmigr" in ASCII.
const MIGRATION_LOCK_KEY = '33044118706415474';
// The pool's short query timeout is for requests; building an index on a large table, or waiting
// for another instance that does, may take minutes.
const MIGRATION_TIMEOUT_MS = 15 * 60_000;

const CREATE_HISTORY = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in version order, all in one
 * transaction under an advisory lock: instances starting at once apply each version exactly once,
 * and a failure leaves the schema as it was. Resolves with the versions it applied.
 */
export async function migrate(pool: Pool, migrations: readonly Migration[]): Promise<number[]> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await run(client, 'BEGIN');
    await run(client, `SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await run(client, CREATE_HISTORY);
    const history = await run(client, 'SELECT version FROM schema_migrations');
    const applied = new Set(history.rows.map((row) => Number(row.version)));
    const pending = migrations.filter((migration) => !applied.has(migration.version));
    for (const migration of pending) {
      await run(client, migration.sql);
      await run(client, 'INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    }
    await run(client, 'COMMIT');
    return pending.map((migration) => migration.version);
  } catch (error: unknown) {
    failure = asError(error);
    await run(client, 'ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    // A client that failed may be mid-protocol: the pool discards it rather than reuse it.
    client.release(failure);
  }
}

// pg reads a per-query `query_timeout` that its type definitions do not declare.
type TimedQuery = QueryConfig<unknown[]> & { readonly query_timeout: number };

const run = (
  client: PoolClient,
  text: string,
  values?: unknown[],
): Promise<QueryResult<Readonly<Record<string, unknown>>>> => {
  const query: TimedQuery = { text, values, query_timeout: MIGRATION_TIMEOUT_MS };
  return client.query(query);
};
