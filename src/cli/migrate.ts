import pino from 'pino';
import type { Config } from '../config/config';
import { runCommand } from './run-command';
import { createPostgresPool } from '../adapters/postgres/postgres-pool';
import { errorMessage } from '../adapters/shared/error-message';
import { migrate } from '../adapters/postgres/postgres-migrator';
import { MIGRATIONS } from '../adapters/postgres/migration-list';

/**
 * `npm run migrate` (`node dist/cli/migrate.js` in the image): applies the pending migrations to
 * DATABASE_URL (with its sslmode and DATABASE_SSL_CA_FILE) and exits, for deployments that
 * migrate before they roll out. The service applies the same migrations at start-up, so running
 * this is optional and running both is harmless.
 */
async function run(config: Config): Promise<number> {
  const { database } = config;
  if (database === undefined) {
    process.stderr.write('Invalid configuration: DATABASE_URL is required to migrate\n');
    return 1;
  }
  const pool = createPostgresPool(database, pino({ level: 'warn' }, pino.destination(2)));
  try {
    const applied = await migrate(pool, MIGRATIONS);
    const latest = MIGRATIONS.at(-1)?.version ?? 0;
    process.stderr.write(
      applied.length === 0
        ? `database schema already at version ${latest}\n`
        : `applied migrations ${applied.join(', ')}; database schema at version ${latest}\n`,
    );
    return 0;
  } finally {
    await pool.end();
  }
}

runCommand('migrate', run, (error) => errorMessage(error).split('\n')[0] ?? '');
