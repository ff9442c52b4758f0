import {
  Kafka,
  logLevel,
  Partitioners,
  type ICustomPartitioner,
  type KafkaConfig,
  type SASLOptions,
  type logCreator,
  type Message,
  type Producer,
} from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaClientSettings, KafkaSecurity } from '../kafka/kafka-client';
import { isConnectionTrouble, loggedTrouble, type KafkaTrouble } from '../kafka/connection-trouble';

const PINO_LEVEL: Record<logLevel, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.NOTHING]: 'debug',
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * kafkajs logs through the service's logger, so its lines are JSON with the same fields; a
 * failure to reach the cluster, which kafkajs logs at each attempt, goes to the trouble instead.
 */
const throughPino =
  (logger: Logger, trouble: KafkaTrouble): logCreator =>
  () =>
  ({ namespace, level, log }) => {
    const { message, timestamp: _timestamp, ...details } = log;
    const failure = loggedTrouble(message, details);
    if (level === logLevel.ERROR && isConnectionTrouble(failure))
      trouble.report('reach the cluster', failure);
    else logger[PINO_LEVEL[level]]({ kafka: namespace, ...details }, message);
  };

/** The service's TLS and SASL settings as kafkajs takes them. */
const kafkajsSecurity = ({ tls, sasl }: KafkaSecurity = {}): Pick<KafkaConfig, 'ssl' | 'sasl'> => ({
  ssl:
    tls === undefined
      ? false
      : {
          ...(tls.ca !== undefined && { ca: [tls.ca] }),
          ...(tls.cert !== undefined && { cert: tls.cert }),
          ...(tls.key !== undefined && { key: tls.key }),
        },
  ...(sasl !== undefined && { sasl: saslOf(sasl) }),
});

// Each mechanism is its own case of kafkajs' type.
const saslOf = ({ mechanism, username, password }: Required<KafkaSecurity>['sasl']): SASLOptions =>
  mechanism === 'plain'
    ? { mechanism, username, password }
    : mechanism === 'scram-sha-256'
      ? { mechanism, username, password }
      : { mechanism, username, password };

export function createKafka(
  settings: KafkaClientSettings,
  logger: Logger,
  trouble: KafkaTrouble,
): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    ...kafkajsSecurity(settings.security),
    logLevel: logLevel.WARN,
    logCreator: throughPino(logger.child({ component: 'kafkajs' }), trouble),
    connectionTimeout: 3000,
    requestTimeout: 10000,
    // Connection attempts give up within seconds: the caller retries, and start-up must not wait.
    retry: { initialRetryTime: 250, retries: 3, maxRetryTime: 2000 },
  });
}

/**
 * kafkajs' default partitioner (murmur2 on the key, as the Java client partitions: one user lands
 * on one partition either way), remembering the partition it chose for each message: a send's
 * answer gives only each partition's first offset, from which each record's offset follows.
 */
export class ChosenPartitions {
  private readonly chosen = new WeakMap<Message, number>();

  readonly partitioner: ICustomPartitioner = () => {
    const choose = Partitioners.DefaultPartitioner();
    return (args) => {
      const partition = choose(args);
      this.chosen.set(args.message, partition);
      return partition;
    };
  };

  /** The partition of the last send that carried `message`. */
  of(message: Message): number | undefined {
    return this.chosen.get(message);
  }
}

const METADATA_MAX_AGE_MS = 5000;

/**
 * The producer of events and dead letters: acks from all in-sync replicas are asked per send, one
 * request in flight keeps one user's events in order across retries, and kafkajs retries nothing
 * itself: CoalescedSends and the dead-letter loop retry whole writes until their deadline.
 *
 * Not kafkajs' idempotent mode: after a write fails it takes the write's sequence number back even
 * when the broker stored it, and the broker then acknowledges the next write on that partition as
 * a duplicate without storing it (docs/adr/0006). A retried write may be stored twice instead;
 * both copies carry one eventId, and ProcessEvent processes an eventId once.
 */
export function createEventProducer(kafka: Kafka, partitions: ChosenPartitions): Producer {
  return kafka.producer({
    createPartitioner: partitions.partitioner,
    idempotent: false,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // kafkajs learns of a new leader from an error only the old one sends: a leader cut off
    // answers nothing, and its requests time out without a refresh. Sends refresh metadata this
    // often instead of every 5 minutes, so that writes find the new leader within seconds.
    metadataMaxAge: METADATA_MAX_AGE_MS,
    // No retries of kafkajs' own: they can skip a partition and still resolve (CoalescedSends
    // explains); the callers retry whole requests instead.
    retry: { retries: 0 },
  });
}
