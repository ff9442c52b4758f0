import pino from 'pino';
import type { KafkaClient } from '../../src/adapters/kafka/kafka-client';
import { kafkaClientOf } from '../../src/wiring/kafka-client-of';
import { unique } from './unique';

/**
 * Every client library the service can run on: each Kafka suite runs once per client, with the
 * same assertions. librdkafka is an optional module, but never skipped here: where it is
 * missing, its suites fail with the message that says how to install it.
 */
export const KAFKA_CLIENTS = ['kafkajs', 'librdkafka'] as const;
export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];

/** A client of the named library, logging nothing, whose deliveries time out after `timeoutMs`. */
export function kafkaClient(
  name: KafkaClientName,
  brokers: readonly string[],
  deliveryTimeoutMs: number,
): KafkaClient {
  const settings = { clientId: unique(`test-${name}`), brokers };
  return kafkaClientOf(name, settings, deliveryTimeoutMs, pino({ level: 'silent' }));
}
