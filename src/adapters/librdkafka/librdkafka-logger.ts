import type { KafkaJS } from '@confluentinc/kafka-javascript';
import type { Logger } from 'pino';
import { isConnectionTrouble, isSpecificTrouble, loggedTrouble } from '../kafka/connection-trouble';

/**
 * librdkafka's lines through the service's logger, as the KafkaJS-style clients take a logger:
 * JSON lines with the service's fields. Its informational lines are debug here, as kafkajs' are
 * left out below warn. A failure to reach the cluster, which librdkafka logs at each attempt, goes
 * to the trouble instead; of its informational lines only those that say why (a connection
 * closed during its handshake), since an idle connection closed is routine.
 */
export function throughPino(logger: Logger, report: (failure: Error) => void): KafkaJS.Logger {
  const log =
    (level: 'error' | 'warn' | 'debug', isTrouble?: (error: unknown) => boolean) =>
    (message: string, extra?: object): void => {
      const { timestamp: _timestamp, ...details } = (extra ?? {}) as Record<string, unknown>;
      const failure = isTrouble && loggedTrouble(message, details);
      if (failure && isTrouble(failure)) report(failure);
      else logger[level]({ librdkafka: details }, message);
    };
  const adapter: KafkaJS.Logger = {
    error: log('error', isConnectionTrouble),
    warn: log('warn', isConnectionTrouble),
    info: log('debug', isSpecificTrouble),
    debug: log('debug'),
    namespace: () => adapter,
    setLogLevel: () => undefined,
  };
  return adapter;
}
