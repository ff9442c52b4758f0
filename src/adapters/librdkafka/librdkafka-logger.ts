import type { KafkaJS } from '@confluentinc/kafka-javascript';
import type { Logger } from 'pino';

/**
 * librdkafka's lines through the service's logger, as the KafkaJS-style clients take a logger:
 * JSON lines with the service's fields. Its informational lines are debug here, as kafkajs' are
 * left out below warn.
 */
export function throughPino(logger: Logger): KafkaJS.Logger {
  const log =
    (level: 'error' | 'warn' | 'debug') =>
    (message: string, extra?: object): void => {
      const { timestamp: _timestamp, ...details } = (extra ?? {}) as Record<string, unknown>;
      logger[level]({ librdkafka: details }, message);
    };
  const adapter: KafkaJS.Logger = {
    error: log('error'),
    warn: log('warn'),
    info: log('debug'),
    debug: log('debug'),
    namespace: () => adapter,
    setLogLevel: () => undefined,
  };
  return adapter;
}
