import { randomUUID } from 'node:crypto';
import { isLeft } from 'fp-ts/Either';
import { Partitioners, type Message } from 'kafkajs';
import { ensureTopics } from '../../../src/adapters/kafka/kafka-topics';
import { toRecord } from '../../../src/adapters/kafka/user-event-record';
import { UserEvent } from '../../../src/domain/user-event';
import { benchKafka } from './group-lag';
import { kafkajsTopicAdmin } from '../../../src/adapters/kafkajs/kafkajs-topic-admin';

const SOURCE = 'urn:user-events-service:my-app';
const SENDS_IN_FLIGHT = 4;
const RECORDS_PER_SEND = 1000;

/** `count` seed-like events as the service would make them from POSTs, users taken in turn. */
export function backlogEvents(count: number, users: number): UserEvent[] {
  const timestamp = new Date().toISOString();
  return Array.from({ length: count }, (_, index) => {
    const decoded = UserEvent.decode({
      eventId: randomUUID(),
      userId: `user-${index % users}`,
      eventType: 'LOGIN',
      timestamp,
      payload: { ip: '127.0.0.1' },
    });
    if (isLeft(decoded)) throw new Error('a bench event does not satisfy the UserEvent codec');
    return decoded.right;
  });
}

/** The record the service publishes for `event` (toRecord: key, JSON value, CloudEvents headers). */
export const recordOf = (event: UserEvent): Message => toRecord(event, SOURCE, randomUUID());

/**
 * Writes the events' records to `topic` (created with `partitions`, like the service's topic)
 * before any consumer runs, as a backlog waits in Kafka; acks=all. Resolves with the seconds taken.
 */
export async function produceBacklog(
  brokers: readonly string[],
  topic: string,
  partitions: number,
  events: readonly UserEvent[],
): Promise<number> {
  const kafka = benchKafka(brokers, 'bench-backlog');
  await ensureTopics(() => kafkajsTopicAdmin(kafka), [topic], partitions);
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const started = performance.now();
  try {
    let next = 0;
    const sender = async (): Promise<void> => {
      while (next < events.length) {
        const from = next;
        next += RECORDS_PER_SEND;
        const messages = events.slice(from, from + RECORDS_PER_SEND).map(recordOf);
        await producer.send({ topic, acks: -1, messages });
      }
    };
    await Promise.all(Array.from({ length: SENDS_IN_FLIGHT }, sender));
    return (performance.now() - started) / 1000;
  } finally {
    await producer.disconnect();
  }
}
