import 'reflect-metadata';
import { isLeft } from 'fp-ts/Either';
import pino from 'pino';
import { parseConfig, readEnvironment } from './config';
import { startService } from './composition-root';

/** Starts the service from the environment and stops it gracefully on SIGTERM or SIGINT. */
async function main(): Promise<void> {
  const config = parseConfig(readEnvironment());
  if (isLeft(config)) {
    process.stderr.write(`${config.left}\n`);
    process.exit(1);
  }
  const logger = pino({ level: config.right.logLevel, base: { service: 'user-events-service' } });
  const service = await startService(config.right, { logger });
  const address = await service.listen(config.right.port);
  logger.info({ port: address.port }, 'listening');

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs: config.right.shutdownTimeoutMs }, 'graceful shutdown timed out');
      process.exit(1);
    }, config.right.shutdownTimeoutMs);
    deadline.unref();
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `start-up failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
