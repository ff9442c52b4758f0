import { Pool, type PoolConfig } from 'pg';
import type { Logger } from 'pino';
import { errorMessage } from '../shared/error-message';

// Short enough that readiness and a request answer well within a client's patience when the
// database is unreachable; the consumer simply retries a failed save.
const CONNECT_TIMEOUT_MS = 3000;
const QUERY_TIMEOUT_MS = 5000;

/** Where the database is, and how its connections are encrypted. */
export interface PostgresConnection {
  /** A postgres:// URL, without sslmode: `tls` says it. */
  readonly url: string;
  /** TLS, with what is verified of the server's certificate; plaintext when absent. */
  readonly tls?: PostgresTls | undefined;
}

export interface PostgresTls {
  /** none: encrypted only (sslmode=require); ca: a trusted CA signed it; full: and it names the host. */
  readonly verify: 'none' | 'ca' | 'full';
  /** PEM of the CA to trust instead of Node's own list. */
  readonly ca: string | undefined;
}

const sslOf = (tls: PostgresTls | undefined): PoolConfig['ssl'] => {
  if (tls === undefined) return false;
  if (tls.verify === 'none') return { rejectUnauthorized: false };
  return {
    rejectUnauthorized: true,
    ...(tls.ca !== undefined && { ca: tls.ca }),
    ...(tls.verify === 'ca' && { checkServerIdentity: () => undefined }),
  };
};

/**
 * A connection pool for `connection`. Settings in the URL (e.g. `?options=-c search_path=…` or
 * `application_name`) are honoured. An idle connection that breaks is logged and replaced on
 * next use instead of crashing the process (pg emits it as an `error` event).
 */
export function createPostgresPool(connection: PostgresConnection, logger: Logger): Pool {
  const pool = new Pool({
    connectionString: connection.url,
    ssl: sslOf(connection.tls),
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
