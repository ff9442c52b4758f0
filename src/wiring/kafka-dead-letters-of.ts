import type { Config } from '../config/config';
import type { KafkaClient } from '../adapters/kafka/kafka-client';
import { KafkaDeadLetters } from '../adapters/kafka/kafka-dead-letters';
import { topicWritesOf } from './topic-writes';

// Reading a DLQ topic to its end: a group join and a fetch per partition, on a broker that answers.
const DLQ_READ_TIMEOUT_MS = 30_000;

/**
 * The dead-letter queue of `config` on `client`, replaying through the client's one producer
 * (which its user connects): what the service serves and `npm run dlq` runs, the same code.
 */
export const kafkaDeadLettersOf = (
  client: KafkaClient,
  config: Pick<Config, 'kafka' | 'publishTimeoutMs' | 'maxPendingEvents'>,
): KafkaDeadLetters =>
  new KafkaDeadLetters(
    client,
    client.producer.writesTo(topicWritesOf(config, config.kafka.topic)),
    {
      dlqTopic: config.kafka.dlqTopic,
      readTimeoutMs: DLQ_READ_TIMEOUT_MS,
    },
  );
