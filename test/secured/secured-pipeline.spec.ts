import { expect } from 'chai';
import type { Kafka } from 'kafkajs';
import pino from 'pino';
import { createKafka } from '../../src/adapters/kafkajs/kafkajs-setup';
import { KafkaTrouble } from '../../src/adapters/kafka/connection-trouble';
import { testConfig } from '../support/test-config';
import { KAFKA_CLIENTS } from '../support/kafka-clients';
import { postJson, runService, type RunningService } from '../support/running-service';
import { securedKafka } from '../support/secured-kafka';
import { eventually } from '../support/eventually';
import { unique } from '../support/unique';
import { seedLoginBody } from '../support/builders';
import { processedEventsOf } from '../support/processed-events';

/**
 * A kafkajs client of its own on a secured broker, for writing behind the service's back: the
 * variables read as the service reads them, the client made as the service makes it.
 */
const behindTheServiceOf = (variables: Record<string, string>): Kafka => {
  const silent = pino({ level: 'silent' });
  const { kafka } = testConfig({ ...variables, KAFKA_CLIENT_ID: unique('behind') });
  return createKafka(kafka, silent, new KafkaTrouble(silent));
};

async function produceRaw(variables: Record<string, string>, topic: string, value: string) {
  const producer = behindTheServiceOf(variables).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ key: 'someone', value }] });
  } finally {
    await producer.disconnect();
  }
}

/** The service's whole pipeline on a secured broker: publish, process, serve, dead-letter. */
function pipelineOn(
  secured: () => Promise<Record<string, string>>,
  client: (typeof KAFKA_CLIENTS)[number],
) {
  let app: RunningService;
  let topic: string;
  let variables: Record<string, string>;
  before(async () => {
    topic = unique('secured');
    variables = await secured();
    app = await runService({
      ...variables,
      EVENT_BUS: 'kafka',
      KAFKA_CLIENT: client,
      KAFKA_TOPIC: topic,
      KAFKA_CLIENT_ID: unique('svc'),
    });
  });
  after(async () => app?.stop());

  it('turns ready: producer and consumer connected through TLS', async () => {
    const ready = await eventually('the service ready', async () => {
      const response = await fetch(`${app.url}/health/ready`);
      return response.status === 200 ? response.json() : undefined;
    });
    expect(ready).to.deep.equal({
      status: 'ready',
      checks: { producer: 'up', consumer: 'up', topics: 'up', deadLetterQueue: 'up', store: 'up' },
    });
  });

  it('publishes, processes and serves an event', async () => {
    const userId = unique('user');
    const response = await postJson(`${app.url}/events/generate`, seedLoginBody(userId));
    expect(response.status).to.equal(201);
    const processed = await eventually('the event processed', async () => {
      const list = await processedEventsOf(app.url, userId);
      return list.length > 0 ? list : undefined;
    });
    expect(processed.map((one) => one.eventType)).to.deep.equal(['LOGIN']);
  });

  it('dead-letters a poison record and serves it on GET /dead-letters', async () => {
    await produceRaw(variables, topic, 'not json at all');
    const letters = await eventually('the poison record on the DLQ', async () => {
      const response = await fetch(`${app.url}/dead-letters`);
      const body = (await response.json()) as { letters: { reason: string }[] };
      return body.letters.length > 0 ? body.letters : undefined;
    });
    expect(letters.map((letter) => letter.reason)).to.deep.equal(['malformed']);
  });
}

describe('the service on a secured broker', function () {
  this.timeout(180_000);
  for (const client of KAFKA_CLIENTS) {
    describe(`TLS and SCRAM-SHA-512, on ${client}`, () =>
      pipelineOn(() => securedKafka('sasl_ssl'), client));
    describe(`mutual TLS (a client certificate, no SASL), on ${client}`, () =>
      pipelineOn(() => securedKafka('mtls'), client));
    for (const mechanism of ['scram-sha-256', 'plain'])
      describe(`TLS and ${mechanism}, on ${client}`, () =>
        pipelineOn(
          async () => ({ ...(await securedKafka('sasl_ssl')), KAFKA_SASL_MECHANISM: mechanism }),
          client,
        ));
  }
});
