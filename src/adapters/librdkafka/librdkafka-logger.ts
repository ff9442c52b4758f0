import type { KafkaJS } from '@confluentinc/kafka-javascript';
import type { Logger } from 'pino';
import { isConnectionTrouble, type KafkaTrouble } from '../kafka/connection-trouble';

/**
 * librdkafka's lines through the service's logger, as the KafkaJS-style clients take a logger:
 * JSON lines with the service's fields. Its informational lines are debug here, as kafkajs' are
 * left out below warn. A failure to reach the cluster, which librdkafka logs at each attempt, goes
 * to the trouble instead.
 */
export function throughPino(logger: Logger, trouble: KafkaTrouble): KafkaJS.Logger {
  const log =
    (level: 'error' | 'warn' | 'debug') =>
    (message: string, extra?: object): void => {
      const { timestamp: _timestamp, ...details } = (extra ?? {}) as Record<string, unknown>;
      if (level !== 'debug' && isConnectionTrouble({ ...details, message }))
        trouble.report('reach the cluster', { ...details, message });
      else logger[level]({ librdkafka: details }, message);
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
