import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { DependencyContainer } from 'tsyringe';
import type { AdapterSet } from './adapter-set';
import type { ServiceReadiness } from './service-readiness';
import { listenHttp, type ConnectionLimits } from './http-server';
import type { EventStreams } from '../adapters/http/event-stream';

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
    private readonly streams: EventStreams,
  ) {}

  async listen(port: number, host?: string): Promise<AddressInfo> {
    this.server = await listenHttp(this.http, { port, host }, this.limits);
    return this.server.address() as AddressInfo;
  }

  /**
   * Readiness turns 503, event streams end (each saying where to resume), the server stops
   * accepting and lets in-flight requests finish, the bus
   * finishes and commits its current records, the store closes (tsyringe disposes only what it
   * constructed, never a `useValue`), then the container is disposed.
   */
  async stop(): Promise<void> {
    this.readiness.drain();
    const server = this.server;
    if (server !== undefined) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A stream's connection is idle only once its last event is written.
      await this.streams.closeAll();
      server.closeIdleConnections();
      await closed;
    } else await this.streams.closeAll();
    for (const set of [...this.sets].reverse()) await set.stop();
    await this.container.dispose();
    this.logger.info('service stopped');
  }
}
