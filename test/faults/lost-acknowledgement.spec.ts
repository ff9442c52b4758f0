import { expect } from 'chai';
import pino from 'pino';
import type { Kafka, Producer } from 'kafkajs';
import {
  ChosenPartitions,
  createEventProducer,
  createKafka,
} from '../../src/adapters/kafkajs/kafkajs-setup';
import { ensureTopics } from '../../src/adapters/kafka/kafka-topics';
import { ControllableBroker } from '../support/controllable-broker';
import { TcpFaultProxy } from '../support/tcp-fault-proxy';
import { eventually } from '../support/eventually';
import { unique } from '../support/unique';
import { readTopic } from '../support/raw-kafka';
import { kafkajsTopicAdmin } from '../../src/adapters/kafkajs/kafkajs-topic-admin';

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
  const topic = unique('lost-ack');
  let kafka: Kafka;
  let producer: Producer;
  before(async () => {
    await broker.reset();
    await broker.start();
    await proxy.listen();
    kafka = createKafka(
      { clientId: unique('svc'), brokers: [proxy.address] },
      pino({ level: 'silent' }),
    );
    await ensureTopics(() => kafkajsTopicAdmin(kafka), [topic], 1);
    producer = createEventProducer(kafka, new ChosenPartitions());
    await producer.connect();
  });
  after(async () => {
    await producer?.disconnect();
    await proxy.close();
    await broker.stop();
  });

  // kafkajs' idempotent producer takes back the sequence number of a write that failed, even
  // when the broker stored it; the broker then acknowledged the next write as a duplicate of
  // that one without storing it (a 201 for a lost event, seen in the SIGKILL fault test).
  it('does not cost the next write: it is stored too', async () => {
    await producer.send({ topic, acks: -1, messages: [record('first')] });
    proxy.loseAnswersOnOpenConnections();
    const unanswered = producer.send({ topic, acks: -1, messages: [record('stored, unanswered')] });
    const failed = unanswered.then(
      () => 'acknowledged',
      () => 'failed',
    );
    await eventually('the unanswered write stored', async () =>
      (await storedRecords(kafka, topic)) === 2 ? true : undefined,
    );
    proxy.refuseConnections();
    expect(await failed).to.equal('failed');

    proxy.passConnections();
    await eventually(
      'the next write acknowledged',
      () =>
        producer.send({ topic, acks: -1, messages: [record('next')] }).then(
          () => true,
          () => undefined,
        ),
      60_000,
      500,
    );
    // The broker's own log, read to its end: the write acknowledged last must be on it.
    const stored = await readTopic([proxy.address], topic, await storedRecords(kafka, topic));
    const values = stored.map((written) => written.value?.toString('utf8'));
    expect(values.slice(0, 2)).to.deep.equal(['first', 'stored, unanswered']);
    expect(values, 'the acknowledged write after the lost answer').to.include('next');
  });
});
