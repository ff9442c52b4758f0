import { createServer, type Server } from 'node:http';
import type Koa from 'koa';

/** How long and how many: what one client may hold of the server. */
export interface ConnectionLimits {
  /** A request's headers must have arrived this long after its connection or previous request. */
  readonly headersTimeoutMs: number;
  /** A whole request, body included, must have arrived this long after its start. */
  readonly requestTimeoutMs: number;
  /** Connections open at once; the server drops new ones beyond it. */
  readonly maxConnections: number;
}

// Connections the kernel holds until they are accepted. Node's default, 511, is too few for a
// burst of connections while the event loop is busy: the kernel drops the excess SYNs, and the
// client's first request waits for its SYN retransmission (1 s, 3 s, 7 s, …). Linux caps it at
// net.core.somaxconn (4096 on current kernels).
const LISTEN_BACKLOG = 4096;
// Node checks the two timeouts this often (its default, 30 s, would let a slow client keep its
// connection up to 30 s past its timeout).
const TIMEOUT_CHECK_INTERVAL_MS = 1000;

/**
 * An HTTP server for `app` that holds off slow and greedy clients: a connection that sends its
 * headers or its body too slowly is answered 408 and closed, and connections beyond the limit
 * are dropped at once. Resolves once it listens.
 */
export async function listenHttp(
  app: Koa,
  address: { readonly port: number; readonly host?: string | undefined },
  limits: ConnectionLimits,
): Promise<Server> {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, limits.headersTimeoutMs),
    },
    app.callback(),
  );
  server.maxConnections = limits.maxConnections;
  server.listen({ ...address, backlog: LISTEN_BACKLOG });
  await new Promise<void>((resolve, reject) =>
    server.once('listening', resolve).once('error', reject),
  );
  return server;
}
