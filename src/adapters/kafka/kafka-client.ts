import { Kafka, logLevel, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';

export interface KafkaClientSettings {
  readonly clientId: string;
  readonly brokers: readonly string[];
}

const PINO_LEVEL: Record<logLevel, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.NOTHING]: 'debug',
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

// kafkajs logs through the service's logger, so its lines are JSON with the same fields.
const throughPino =
  (logger: Logger): logCreator =>
  () =>
  ({ namespace, level, log }) => {
    const { message, timestamp: _timestamp, ...details } = log;
    logger[PINO_LEVEL[level]]({ kafka: namespace, ...details }, message);
  };

export function createKafka(settings: KafkaClientSettings, logger: Logger): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    logLevel: logLevel.WARN,
    logCreator: throughPino(logger.child({ component: 'kafkajs' })),
    connectionTimeout: 3000,
    requestTimeout: 10000,
  });
}
