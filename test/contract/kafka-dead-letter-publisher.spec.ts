import { expect } from 'chai';
import { isRight } from 'fp-ts/Either';
import pino from 'pino';
import type { Kafka } from 'kafkajs';
import { createKafka } from '../../src/adapters/kafkajs/kafkajs-setup';
import { KafkaTrouble } from '../../src/adapters/kafka/connection-trouble';
import { kafkajsTopicAdmin } from '../../src/adapters/kafkajs/kafkajs-topic-admin';
import { KafkaDeadLetterPublisher } from '../../src/adapters/kafka/kafka-dead-letter-publisher';
import { RecordTracing } from '../../src/adapters/kafka/record-tracing';
import {
  readDeadLetters,
  type StoredDeadLetter,
} from '../../src/adapters/kafka/kafka-dead-letters';
import { ensureTopics } from '../../src/adapters/kafka/kafka-topics';
import { headerText } from '../../src/adapters/kafka/user-event-record';
import type { TopicWrites } from '../../src/adapters/kafka/record-writes';
import type { Clock } from '../../src/application/clock.port';
import type { DeadLetterReason } from '../../src/application/dead-letter-publisher.port';
import { kafkaBrokers } from '../support/kafka-broker';
import { freePort } from '../support/free-port';
import { unique } from '../support/unique';
import { KAFKA_CLIENTS, kafkaClient, type KafkaClientName } from '../support/kafka-clients';
import { deadLetterPublisherContract, type WrittenLetter } from './dead-letter-publisher.contract';

const FAILED_AT = new Date('2026-11-29T12:00:00.000Z');
const clock: Clock = { now: () => FAILED_AT };
const settings = (topic: string): TopicWrites => ({
  topic,
  timeoutMs: 3000,
  maxPendingRecords: 1000,
  resends: { firstDelayMs: 50, maxDelayMs: 500 },
});

// The letters are read back with kafkajs whichever client wrote them: what one client writes,
// the other reads byte for byte.
const readerOf = (brokers: string[]): Kafka => {
  const silent = pino({ level: 'silent' });
  return createKafka(
    { clientId: unique('contract-dlq'), brokers },
    silent,
    new KafkaTrouble(silent),
  );
};

/** A stored record read back as the letter it carries, from its dlq-* headers. */
const letterOf = ({ partition, offset, key, value, headers }: StoredDeadLetter): WrittenLetter => ({
  location: { partition, offset },
  letter: {
    key,
    value,
    headers: Object.fromEntries(Object.entries(headers).filter(([name]) => !/^dlq-/.test(name))),
    reason: headerText(headers, 'dlq-reason') as DeadLetterReason,
    error: headerText(headers, 'dlq-error') ?? '',
    origin: {
      topic: headerText(headers, 'dlq-original-topic') ?? '',
      partition: Number(headerText(headers, 'dlq-original-partition')),
      offset: headerText(headers, 'dlq-original-offset') ?? '',
    },
  },
});

/** A publisher on a connected producer, writing to a DLQ topic of 3 partitions of its own. */
async function connectedPublisher(client: KafkaClientName) {
  const brokers = await kafkaBrokers();
  const reader = readerOf(brokers);
  const dlqTopic = unique('contract-dlq');
  await ensureTopics(() => kafkajsTopicAdmin(reader), [dlqTopic], 3);
  const { producer } = kafkaClient(client, brokers, settings(dlqTopic).timeoutMs);
  await producer.connect();
  const publisher = new KafkaDeadLetterPublisher(
    producer.writesTo(settings(dlqTopic)),
    clock,
    new RecordTracing(undefined, dlqTopic),
  );
  const readingClient = kafkaClient('kafkajs', brokers, settings(dlqTopic).timeoutMs);
  const stored = () => readDeadLetters(readingClient, { dlqTopic, readTimeoutMs: 30_000 });
  return { publisher, stored, stop: () => producer.disconnect() };
}

for (const client of KAFKA_CLIENTS) {
  deadLetterPublisherContract(`KafkaDeadLetterPublisher on ${client}`, async () => {
    const { publisher, stored, stop } = await connectedPublisher(client);
    return {
      publisher,
      written: async () => (await stored()).map(letterOf),
      unreachable: async () => {
        // A producer never connected, to a port nothing listens on.
        const { timeoutMs } = settings('nowhere');
        const { producer } = kafkaClient(client, [`127.0.0.1:${await freePort()}`], timeoutMs);
        return {
          publisher: new KafkaDeadLetterPublisher(
            producer.writesTo(settings('nowhere')),
            clock,
            new RecordTracing(undefined, 'nowhere'),
          ),
          answersWithinMs: timeoutMs,
        };
      },
      stop,
    };
  });
}

describe('KafkaDeadLetterPublisher beyond the contract', function () {
  this.timeout(60_000);
  let connected: Awaited<ReturnType<typeof connectedPublisher>>;
  before(async () => (connected = await connectedPublisher('kafkajs')));
  after(async () => connected?.stop());

  it('says in its dlq-* headers when the letter failed, and keeps the error short', async () => {
    const letter = {
      key: null,
      value: Buffer.from('x'),
      headers: {},
      reason: 'store-rejected' as const,
      error: 'e'.repeat(2000),
      origin: { topic: 'events', partition: 1, offset: '5' },
    };
    const written = await connected.publisher.publish(letter)();
    if (!isRight(written)) throw new Error(`not written: ${JSON.stringify(written)}`);
    const [record] = (await connected.stored()).filter(
      ({ partition, offset }) =>
        partition === written.right.partition && offset === written.right.offset,
    );
    expect(headerText(record!.headers, 'dlq-failed-at')).to.equal(FAILED_AT.toISOString());
    expect(headerText(record!.headers, 'dlq-error')).to.equal('e'.repeat(500));
  });
});
