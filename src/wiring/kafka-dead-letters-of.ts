import type { Config } from '../config/config';
import type { KafkaClient } from '../adapters/kafka/kafka-client';
import type { Tracer } from '@opentelemetry/api';
import { KafkaDeadLetters } from '../adapters/kafka/kafka-dead-letters';
import { RecordTracing } from '../adapters/kafka/record-tracing';
import { topicWritesOf } from './topic-writes';

// Reading a DLQ topic to its end: a group join and a fetch per partition, on a broker that answers.
const DLQ_READ_TIMEOUT_MS = 30_000;

/**
 * The dead-letter queue of `config` on `client`, replaying through the client's one producer
 * (which its user connects): what the service serves and `npm run dlq` runs, the same code;
 * replays are traced where a tracer is given (the service's, when tracing is on).
 */
export const kafkaDeadLettersOf = (
  client: KafkaClient,
  config: Pick<Config, 'kafka' | 'publishTimeoutMs' | 'maxPendingEvents'>,
  tracer?: Tracer,
): KafkaDeadLetters =>
  new KafkaDeadLetters(
    client,
    client.producer.writesTo(topicWritesOf(config, config.kafka.topic)),
    {
      dlqTopic: config.kafka.dlqTopic,
      readTimeoutMs: DLQ_READ_TIMEOUT_MS,
    },
    new RecordTracing(tracer, config.kafka.topic),
  );
