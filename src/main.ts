import 'reflect-metadata';
import { isLeft } from 'fp-ts/Either';
import type { Logger } from 'pino';
import { configFromEnvironment } from './config/environment';
import { serviceLogger, startService } from './composition-root';
import { limitHeapGrowth } from './heap-growth';
import { errorMessage } from './adapters/shared/error-message';

type StopReason = NodeJS.Signals | 'fatal';
type Service = Awaited<ReturnType<typeof startService>>;

/** Starts the service from the environment and stops it gracefully on SIGTERM or SIGINT. */
async function main(): Promise<void> {
  limitHeapGrowth();
  const config = configFromEnvironment();
  if (isLeft(config)) {
    process.stderr.write(`${config.left}\n`);
    process.exit(1);
  }
  const { logLevel, shutdownTimeoutMs, port, role, tracing } = config.right;
  const logger = serviceLogger(logLevel, tracing !== undefined);
  // An unhandled rejection is a bug: it is logged, and never takes the process down mid-request.
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'unhandled rejection'),
  );

  const exit = new GracefulExit(shutdownTimeoutMs, logger);
  process.once('SIGTERM', (signal) => exit.request(signal));
  process.once('SIGINT', (signal) => exit.request(signal));
  // Signals are only dispatched between turns of the event loop, so the service is known by then.
  const started = startService(config.right, { logger, onFatal: () => exit.request('fatal') });
  exit.stops(started);
  const service = await started;
  if (exit.requested) return;
  const address = await service.listen(port);
  logger.info({ port: address.port, role }, 'listening');
}

/**
 * Stops the service once, whoever asks first (a signal, a fatal error), then exits: 0 after a
 * signal; 1 after a fatal error, a failed shutdown or one that outlasted its deadline.
 */
class GracefulExit {
  requested = false;
  private service: Promise<Service> | undefined;

  constructor(
    private readonly shutdownTimeoutMs: number,
    private readonly logger: Logger,
  ) {}

  stops(service: Promise<Service>): void {
    this.service = service;
  }

  request(reason: StopReason): void {
    if (this.requested) return;
    this.requested = true;
    const { logger, shutdownTimeoutMs } = this;
    logger.info({ reason }, 'stopping');
    setTimeout(() => {
      logger.error({ shutdownTimeoutMs }, 'graceful shutdown timed out');
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    const exitCode = reason === 'fatal' ? 1 : 0;
    Promise.resolve(this.service)
      .then((service) => service?.stop())
      .then(
        () => process.exit(exitCode),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`start-up failed: ${errorMessage(error)}\n`);
  process.exit(1);
});
