import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { DependencyContainer } from 'tsyringe';
import type { AdapterSet } from './adapter-set';
import type { ServiceReadiness } from './service-readiness';
import { listenHttp, type ConnectionLimits } from './http-server';

/** A started service: listens on demand and stops its parts in order. */
export class ServiceRuntime {
  private server: Server | undefined;

  constructor(
    readonly container: DependencyContainer,
    readonly http: Koa,
    /** In the order they were started; stopped in reverse. */
    private readonly sets: readonly AdapterSet[],
    private readonly readiness: ServiceReadiness,
    private readonly logger: Logger,
    private readonly limits: ConnectionLimits,
  ) {}

  async listen(port: number, host?: string): Promise<AddressInfo> {
    this.server = await listenHttp(this.http, { port, host }, this.limits);
    return this.server.address() as AddressInfo;
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
    for (const set of [...this.sets].reverse()) await set.stop();
    await this.container.dispose();
    this.logger.info('service stopped');
  }
}
