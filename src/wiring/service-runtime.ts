import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { DependencyContainer } from 'tsyringe';
import type { RunningBus } from './running-bus';
import type { RunningStore } from './running-store';
import type { ServiceReadiness } from './service-readiness';

// Connections the kernel holds until they are accepted. Node's default, 511, is too few for a
// burst of connections while the event loop is busy: the kernel drops the excess SYNs, and the
// client's first request waits for its SYN retransmission (1 s, 3 s, 7 s, …): with 1,024
// connections opened at once, hundreds of requests timed out after 10 s. Linux caps it at
// net.core.somaxconn (4096 on current kernels).
export const LISTEN_BACKLOG = 4096;

/** A started service: listens on demand and stops its parts in order. */
export class ServiceRuntime {
  private server: Server | undefined;

  constructor(
    readonly container: DependencyContainer,
    readonly http: Koa,
    private readonly bus: RunningBus,
    private readonly store: RunningStore,
    private readonly readiness: ServiceReadiness,
    private readonly logger: Logger,
  ) {}

  async listen(port: number, host?: string): Promise<AddressInfo> {
    const server = this.http.listen({ port, host, backlog: LISTEN_BACKLOG });
    this.server = server;
    await new Promise<void>((resolve, reject) =>
      server.once('listening', resolve).once('error', reject),
    );
    return server.address() as AddressInfo;
  }

  /**
   * Readiness turns 503, the server stops accepting and lets in-flight requests finish, the bus
   * finishes and commits its current records, the store closes (tsyringe disposes only what it
   * constructed, never a `useValue`), then the container is disposed.
   */
  async stop(): Promise<void> {
    this.readiness.drain();
    const server = this.server;
    if (server !== undefined) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
    }
    await this.bus.stop();
    await this.store.stop();
    await this.container.dispose();
    this.logger.info('service stopped');
  }
}
