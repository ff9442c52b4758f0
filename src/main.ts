import 'reflect-metadata';
import { isLeft } from 'fp-ts/Either';
import pino from 'pino';
import { parseConfig, readEnvironment } from './config';
import { startService } from './composition-root';

type StopReason = NodeJS.Signals | 'fatal';

/** Starts the service from the environment and stops it gracefully on SIGTERM or SIGINT. */
async function main(): Promise<void> {
  const config = parseConfig(readEnvironment());
  if (isLeft(config)) {
    process.stderr.write(`${config.left}\n`);
    process.exit(1);
  }
  const { logLevel, shutdownTimeoutMs, port } = config.right;
  const logger = pino({ level: logLevel, base: { service: 'user-events-service' } });
  // An unhandled rejection is a bug: it is logged, and never takes the process down mid-request.
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'unhandled rejection'),
  );

  let stopping = false;
  const stop = (reason: StopReason): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping');
    setTimeout(() => {
      logger.error({ shutdownTimeoutMs }, 'graceful shutdown timed out');
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    const exitCode = reason === 'fatal' ? 1 : 0;
    started
      .then((service) => service.stop())
      .then(
        () => process.exit(exitCode),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  // Signals are only dispatched between turns of the event loop, so `started` exists by then.
  const started = startService(config.right, { logger, onFatal: () => stop('fatal') });
  const service = await started;
  if (stopping) return;
  const address = await service.listen(port);
  logger.info({ port: address.port }, 'listening');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `start-up failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
