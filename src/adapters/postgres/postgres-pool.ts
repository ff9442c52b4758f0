import { Pool } from 'pg';
import type { Logger } from 'pino';
import { errorMessage } from '../shared/error-message';

// Short enough that readiness and a request answer well within a client's patience when the
// database is unreachable; the consumer simply retries a failed save.
const CONNECT_TIMEOUT_MS = 3000;
const QUERY_TIMEOUT_MS = 5000;

/**
 * A connection pool for `url`. Settings in the URL (e.g. `?options=-c search_path=…` or
 * `application_name`) are honoured. An idle connection that breaks is logged and replaced on
 * next use instead of crashing the process (pg emits it as an `error` event).
 */
export function createPostgresPool(url: string, logger: Logger): Pool {
  const pool = new Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    fallback_application_name: 'user-events-service',
  });
  pool.on('error', (error) =>
    logger.warn({ error: errorMessage(error) }, 'an idle database connection failed'),
  );
  return pool;
}
