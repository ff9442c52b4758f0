import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isRight } from 'fp-ts/Either';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { DependencyContainer } from 'tsyringe';
import type { ProcessedEventStore } from './application/processed-event-store.port';
import type { Readiness } from './adapters/http/health-routes';
import type { RunningBus } from './event-bus-wiring';
import type { RunningStore } from './store-wiring';

/** Readiness of the whole service: not ready while any part is down or once draining began. */
export class ServiceReadiness {
  private draining = false;

  constructor(
    private readonly bus: RunningBus,
    private readonly store: ProcessedEventStore,
  ) {}

  drain(): void {
    this.draining = true;
  }

  async check(): Promise<Readiness> {
    const storeUp = isRight(await this.store.ping()());
    const checks = { ...this.bus.checks(), store: storeUp ? 'up' : 'down' } as const;
    return {
      ready: !this.draining && Object.values(checks).every((check) => check === 'up'),
      checks,
    };
  }
}

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
    const server = this.http.listen(port, host);
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
