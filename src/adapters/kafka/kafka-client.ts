import { Kafka, logLevel, Partitioners, type logCreator, type Producer } from 'kafkajs';
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
    // Connection attempts give up within seconds: the caller retries, and start-up must not wait.
    retry: { initialRetryTime: 250, retries: 3, maxRetryTime: 2000 },
  });
}

/**
 * The producer of events and dead letters: idempotent (so its own retries write no duplicates),
 * one request in flight (which that requires), and retries bounded so that writes abandoned after
 * the publish deadline do not pile up during a long outage.
 */
export function createIdempotentProducer(kafka: Kafka, publishTimeoutMs: number): Producer {
  return kafka.producer({
    // Murmur2 on the key, as the Java client partitions: one user lands on one partition either way.
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    retry: { retries: 5, maxRetryTime: publishTimeoutMs },
  });
}
