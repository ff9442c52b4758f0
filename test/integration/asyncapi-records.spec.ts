import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'chai';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { isRight } from 'fp-ts/Either';
import { parseConfig } from '../../src/config/config';
import { kafkaBrokers } from '../support/kafka-broker';
import { produceRaw, readTopic, type ReadRecord } from '../support/raw-kafka';
import { onKafka, postJson, runService, type RunningService } from '../support/running-service';
import { unique } from '../support/unique';

type Json = Record<string, unknown>;
const document = parse(
  readFileSync(resolve(__dirname, '../../docs/asyncapi.yaml'), 'utf8'),
) as Json & { channels: Record<string, { address: string }> };

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(document, 'asyncapi');

/** What is wrong with `value` by the document's schema `name`; empty when nothing. */
function violations(name: string, value: unknown): string[] {
  const valid = ajv.validate({ $ref: `asyncapi#/components/schemas/${name}` }, value);
  return valid ? [] : [`${name}: ${ajv.errorsText()}`];
}

const textHeaders = (record: ReadRecord): Record<string, string> =>
  Object.fromEntries(Object.entries(record.headers).map(([key, value]) => [key, String(value)]));

describe('the AsyncAPI document (docs/asyncapi.yaml) against real records', function () {
  this.timeout(120_000);
  const topic = unique('asyncapi');
  let app: RunningService;
  before(async () => {
    app = await runService(await onKafka(topic));
  });
  after(async () => app?.stop());

  it('names the topics the service uses by default', () => {
    const config = parseConfig({});
    expect(isRight(config) && config.right.kafka).to.include({
      topic: document.channels.userEvents!.address,
      dlqTopic: document.channels.deadLetters!.address,
    });
  });

  it('describes the key, value and headers of every event the service publishes', async () => {
    await postJson(`${app.url}/events/generate`, { userId: 'user456', eventType: 'LOGIN' });
    const events = [
      { userId: 'user123', eventType: 'PRODUCT_VIEW', payload: { sku: 'x', nested: { a: [1] } } },
      { userId: 'user789', eventType: 'LOGOUT', payload: null },
    ];
    await postJson(`${app.url}/events/batch`, { events }, { 'X-Request-Id': 'batch-1' });
    const records = await readTopic(await kafkaBrokers(), topic, 3);
    expect(records).to.have.length(3);
    const wrong = records.flatMap((record) => [
      ...violations('UserId', record.key),
      ...violations('UserEvent', JSON.parse(String(record.value))),
      ...violations('CloudEventHeaders', textHeaders(record)),
    ]);
    expect(wrong).to.deep.equal([]);
  });

  it('describes the headers of the dead letters it writes', async () => {
    const key = unique('poison');
    await produceRaw(await kafkaBrokers(), topic, [
      { key, value: Buffer.from([0xff]) },
      { key, value: JSON.stringify({ eventId: 'not-a-uuid' }) },
    ]);
    const letters = (await readTopic(await kafkaBrokers(), `${topic}.dlq`, 2)).filter(
      (letter) => letter.key === key,
    );
    expect(letters).to.have.length(2);
    const wrong = letters.flatMap((letter) => violations('DeadLetterHeaders', textHeaders(letter)));
    expect(wrong).to.deep.equal([]);
  });
});
