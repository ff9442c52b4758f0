import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { KafkaClient, KafkaClientSettings } from '../adapters/kafka/kafka-client';
import { KafkajsClient } from '../adapters/kafkajs/kafkajs-client';
import { librdkafkaClient } from '../adapters/librdkafka/librdkafka-client';

/**
 * The client library `KAFKA_CLIENT` names, for the cluster `settings` give; its records are
 * delivered within `deliveryTimeoutMs` (the publish deadline) or not at all.
 */
export function kafkaClientOf(
  library: Config['kafka']['client'],
  settings: KafkaClientSettings,
  deliveryTimeoutMs: number,
  logger: Logger,
): KafkaClient {
  return library === 'librdkafka'
    ? librdkafkaClient(settings, { deliveryTimeoutMs }, logger)
    : new KafkajsClient(settings, logger);
}
