import { Kafka, logLevel } from 'kafkajs';
import { ensureTopics } from '../../src/adapters/kafka/kafka-topics';
import { toRecord } from '../../src/adapters/kafka/user-event-record';
import { ConsumerGroupLag } from '../../src/adapters/kafka/consumer-group-lag';
import type { UserEvent } from '../../src/domain/user-event';
import { aUserEvent } from './builders';
import { produceRaw } from './raw-kafka';
import { unique } from './unique';
import { kafkajsTopicAdmin } from '../../src/adapters/kafkajs/kafkajs-topic-admin';
import { kafkajsGroupOffsets } from '../../src/adapters/kafkajs/kafkajs-client';

const client = (brokers: string[]) =>
  new Kafka({ clientId: unique('test-admin'), brokers, logLevel: logLevel.NOTHING });

/**
 * `count` valid events from `users` users, written to `topic` (made if it is new), the way a
 * backlog waits in Kafka while the consumers are down. In sends of 500, as a batch POST.
 */
export async function writeBacklog(
  brokers: string[],
  topic: string,
  count: number,
  { users = 20, partitions = 3 }: { readonly users?: number; readonly partitions?: number } = {},
): Promise<UserEvent[]> {
  await ensureTopics(() => kafkajsTopicAdmin(client(brokers)), [topic], partitions);
  const events = Array.from({ length: count }, (_, i) =>
    aUserEvent({ userId: `backlog-user-${i % users}` }),
  );
  for (let from = 0; from < count; from += 500) {
    const records = events
      .slice(from, from + 500)
      .map((event) => toRecord(event, 'urn:test:backlog', unique('request')));
    await produceRaw(brokers, topic, records);
  }
  return events;
}

/** True once `groupId` committed, on every partition of `topic`, the offset after its last record. */
export async function backlogCommitted(
  brokers: string[],
  groupId: string,
  topic: string,
): Promise<boolean> {
  const lag = new ConsumerGroupLag(() => kafkajsGroupOffsets(client(brokers)), groupId, topic);
  try {
    const partitions = await lag.read();
    // An empty answer means the broker did not answer in time, not that nothing is left.
    return partitions.length > 0 && partitions.every((partition) => partition.lag === 0);
  } finally {
    await lag.close();
  }
}
