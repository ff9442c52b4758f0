import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { withSearchPath } from '../../test/support/postgres-urls';

export interface ScratchSchema {
  readonly name: string;
  /** The base URL with this schema as search path and its name as application name. */
  readonly url: string;
  /** Drops the schema and everything in it; safe to call more than once. */
  readonly drop: () => Promise<void>;
}

/** A new, empty schema of this run's own, so a bench never touches anyone else's tables. */
export async function createScratchSchema(baseUrl: string, prefix: string): Promise<ScratchSchema> {
  const name = `${prefix}_${randomUUID().slice(0, 8)}`;
  await withClient(baseUrl, (client) => client.query(`CREATE SCHEMA ${name}`));
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: withSearchPath(baseUrl, name),
    drop: () => (dropped ??= dropSchema(baseUrl, name)),
  };
}

/** On Ctrl-C or SIGTERM, drops the schema before exiting instead of leaving a million rows. */
export function dropOnSignal(schema: ScratchSchema): void {
  const stop = (): void => {
    console.error(`\ninterrupted: dropping schema ${schema.name}`);
    void schema.drop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Runs `work` on a connection of its own, with no query timeout (filling takes a while). */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// A connection still filling the table or running a query holds locks that would make DROP wait
// for it: the bench's connections carry the schema's name as application name, so end them first.
async function dropSchema(baseUrl: string, name: string): Promise<void> {
  await withClient(baseUrl, async (client) => {
    await client.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = $1 AND pid <> pg_backend_pid()`,
      [name],
    );
    await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  });
}
