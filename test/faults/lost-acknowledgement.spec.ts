import { expect } from 'chai';
import { isRight } from 'fp-ts/Either';
import pino from 'pino';
import type { Kafka } from 'kafkajs';
import { createKafka } from '../../src/adapters/kafkajs/kafkajs-setup';
import { KafkaTrouble } from '../../src/adapters/kafka/connection-trouble';
import { ensureTopics } from '../../src/adapters/kafka/kafka-topics';
import type { KafkaClient } from '../../src/adapters/kafka/kafka-client';
import type { RecordWrites } from '../../src/adapters/kafka/record-writes';
import { PRODUCE_RESENDS } from '../../src/wiring/retry-policies';
import { ControllableBroker } from '../support/controllable-broker';
import { TcpFaultProxy } from '../support/tcp-fault-proxy';
import { eventually } from '../support/eventually';
import { unique } from '../support/unique';
import { readTopic } from '../support/raw-kafka';
import { KAFKA_CLIENTS, kafkaClient } from '../support/kafka-clients';

const PUBLISH_TIMEOUT_MS = 5000;

const record = (value: string) => ({ key: 'one-user', value });

/** Offsets written to the topic's only partition, read through a connection of its own. */
async function storedRecords(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [partition] = await admin.fetchTopicOffsets(topic);
    return Number(partition?.high ?? 0);
  } finally {
    await admin.disconnect();
  }
}

describe('a write the broker stored but whose acknowledgement was lost', function () {
  this.timeout(180_000);
  const proxy = new TcpFaultProxy(19694, { host: '127.0.0.1', port: 19692 });
  const broker = new ControllableBroker('lost-acknowledgement', 19692, proxy.port);
  // The broker's own view, through a connection the test does not break.
  let observer: Kafka;
  before(async () => {
    await broker.reset();
    await broker.start();
    await proxy.listen();
    const silent = pino({ level: 'silent' });
    observer = createKafka(
      { clientId: unique('observer'), brokers: [proxy.address] },
      silent,
      new KafkaTrouble(silent),
    );
  });
  after(async () => {
    await proxy.close();
    await broker.stop();
  });

  for (const clientName of KAFKA_CLIENTS) {
    describe(`written with ${clientName}`, () => {
      const topic = unique(`lost-ack-${clientName}`);
      let client: KafkaClient;
      let writes: RecordWrites;
      before(async () => {
        proxy.passConnections();
        client = kafkaClient(clientName, [proxy.address], PUBLISH_TIMEOUT_MS);
        await ensureTopics(() => client.topicAdmin(), [topic], 1);
        await client.producer.connect();
        writes = client.producer.writesTo({
          topic,
          timeoutMs: PUBLISH_TIMEOUT_MS,
          maxPendingRecords: 100,
          resends: PRODUCE_RESENDS,
        });
      });
      after(async () => {
        proxy.passConnections();
        await client?.producer.disconnect();
      });

      // kafkajs' idempotent producer took back the sequence number of a write that failed, even
      // when the broker stored it; the broker then acknowledged the next write as a duplicate of
      // that one without storing it (a 201 for a lost event, seen in the SIGKILL fault test).
      it('is not acknowledged, and does not cost the next write: it is stored too', async () => {
        expect(isRight(await writes.write([record('first')])), 'the first write').to.equal(true);
        proxy.loseAnswersOnOpenConnections();
        const unanswered = writes.write([record('stored, unanswered')]);
        await eventually('the unanswered write stored', async () =>
          (await storedRecords(observer, topic)) === 2 ? true : undefined,
        );
        proxy.refuseConnections();
        expect(isRight(await unanswered), 'the unanswered write acknowledged').to.equal(false);

        proxy.passConnections();
        await eventually(
          'the next write acknowledged',
          async () => (isRight(await writes.write([record('next')])) ? true : undefined),
          60_000,
          500,
        );
        // The broker's own log, read to its end: the write acknowledged last must be on it.
        const stored = await readTopic(
          [proxy.address],
          topic,
          await storedRecords(observer, topic),
        );
        const values = stored.map((written) => written.value?.toString('utf8'));
        expect(values.slice(0, 2)).to.deep.equal(['first', 'stored, unanswered']);
        expect(values, 'the acknowledged write after the lost answer').to.include('next');
      });
    });
  }
});
