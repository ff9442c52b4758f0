import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { DependencyContainer } from 'tsyringe';
import type { AdapterSet } from './adapter-set';
import type { ServiceReadiness } from './service-readiness';
import { listenHttp, type ConnectionLimits } from './http-server';
import type { EventStreams } from '../adapters/http/event-stream';
import type { Tracing } from './open-telemetry';

/** The parts a service stops, in this order: HTTP and its streams, the sets, the tracing. */
export interface RuntimeParts {
  /** In the order they were started; stopped in reverse. */
  readonly sets: readonly AdapterSet[];
  readonly readiness: ServiceReadiness;
  readonly logger: Logger;
  readonly limits: ConnectionLimits;
  readonly streams: EventStreams;
  readonly tracing: Tracing;
}

/** A started service: listens on demand and stops its parts in order. */
export class ServiceRuntime {
  private server: Server | undefined;

  constructor(
    readonly container: DependencyContainer,
    readonly http: Koa,
    private readonly parts: RuntimeParts,
  ) {}

  async listen(port: number, host?: string): Promise<AddressInfo> {
    this.server = await listenHttp(this.http, { port, host }, this.parts.limits);
    return this.server.address() as AddressInfo;
  }

  /**
   * Readiness turns 503, event streams end (each saying where to resume), the server stops
   * accepting and lets in-flight requests finish, the bus
   * finishes and commits its current records, the store closes (tsyringe disposes only what it
   * constructed, never a `useValue`), then the container is disposed; last, the spans still
   * waiting are exported.
   */
  async stop(): Promise<void> {
    const { readiness, streams, sets, logger, tracing } = this.parts;
    readiness.drain();
    const server = this.server;
    if (server !== undefined) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A stream's connection is idle only once its last event is written.
      await streams.closeAll();
      server.closeIdleConnections();
      await closed;
    } else await streams.closeAll();
    for (const set of [...sets].reverse()) await set.stop();
    await this.container.dispose();
    await tracing.stop();
    logger.info('service stopped');
  }
}
