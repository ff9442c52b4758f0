import { expect } from 'chai';
import { isRight } from 'fp-ts/Either';
import type { KafkaClient } from '../../src/adapters/kafka/kafka-client';
import { ensureTopics } from '../../src/adapters/kafka/kafka-topics';
import {
  headerBytes,
  toRecord,
  type DeliveredRecord,
  type OutgoingRecord,
} from '../../src/adapters/kafka/user-event-record';
import { PRODUCE_RESENDS } from '../../src/wiring/retry-policies';
import { aUserEvent } from '../support/builders';
import { eventually } from '../support/eventually';
import { kafkaBrokers } from '../support/kafka-broker';
import { KAFKA_CLIENTS, kafkaClient, type KafkaClientName } from '../support/kafka-clients';
import { unique } from '../support/unique';

const TIMEOUT_MS = 10_000;

// What the service hands a client to write: an event's CloudEvents record, and a dead letter's
// headers, which carry the original record's byte for byte: repeated names, bytes that are not
// UTF-8, an empty value. And a record without a key.
const WRITTEN: readonly OutgoingRecord[] = [
  toRecord(aUserEvent({ userId: 'user-ü' }), '/user-events-service', 'request-1'),
  {
    key: Buffer.from([0x00, 0xff, 0x10]),
    value: 'not an event',
    headers: {
      trace: ['first', Buffer.from([0xc3, 0x28]), ''],
      'dlq-reason': 'malformed',
      'dlq-original-offset': '42',
    },
  },
  { key: null, value: null, headers: {} },
];

/** A record as compared: its bytes, whichever client delivered it. */
const bytesOf = (record: OutgoingRecord | DeliveredRecord) => ({
  key: record.key === null || record.key === undefined ? null : Buffer.from(record.key),
  value: record.value === null ? null : Buffer.from(record.value),
  headers: headerBytes(record.headers),
});

/** The records of `topic`'s only partition, read from the start by a group member of `client`. */
async function readAll(client: KafkaClient, topic: string): Promise<DeliveredRecord[]> {
  const read: DeliveredRecord[] = [];
  const member = client.groupMember({
    groupId: unique('across'),
    topic,
    sessionTimeoutMs: 10_000,
    concurrentPartitions: 1,
    commitIntervalMs: 1000,
    onFatal: (error) => {
      throw error;
    },
  });
  await member.run(async ({ batch, resolveOffset }) => {
    for (const message of batch.messages) {
      read.push(message);
      resolveOffset(message.offset);
    }
  });
  try {
    return await eventually(
      `${WRITTEN.length} records read`,
      () => (read.length >= WRITTEN.length ? read : undefined),
      30_000,
    );
  } finally {
    await member.leave();
  }
}

describe('records written by one Kafka client and read by the other', function () {
  this.timeout(120_000);
  const clients = new Map<KafkaClientName, KafkaClient>();
  before(async () => {
    const brokers = await kafkaBrokers();
    for (const name of KAFKA_CLIENTS) clients.set(name, kafkaClient(name, brokers, TIMEOUT_MS));
  });
  after(async () => {
    for (const client of clients.values()) await client.producer.disconnect();
  });

  for (const writer of KAFKA_CLIENTS) {
    describe(`written with ${writer}`, () => {
      const topic = unique(`across-${writer}`);
      before(async () => {
        const client = clients.get(writer)!;
        await ensureTopics(() => client.topicAdmin(), [topic], 1);
        await client.producer.connect();
        const written = await client.producer
          .writesTo({
            topic,
            timeoutMs: TIMEOUT_MS,
            maxPendingRecords: 100,
            resends: PRODUCE_RESENDS,
          })
          .write(WRITTEN);
        expect(isRight(written), 'the records written').to.equal(true);
      });

      for (const reader of KAFKA_CLIENTS)
        it(`reads the same key, value and header bytes with ${reader}`, async () => {
          const read = await readAll(clients.get(reader)!, topic);
          expect(read.map(bytesOf)).to.deep.equal(WRITTEN.map(bytesOf));
        });
    });
  }
});
