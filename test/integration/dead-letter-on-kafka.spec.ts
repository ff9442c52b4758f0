import { expect } from 'chai';
import { kafkaBrokers } from '../support/kafka-broker';
import { onKafka, runService, type RunningService } from '../support/running-service';
import { eventually } from '../support/eventually';
import { unique } from '../support/unique';
import { aUserEvent } from '../support/builders';
import type { Message } from 'kafkajs';
import { produceRaw, readTopic } from '../support/raw-kafka';
import { processedEventsOf } from '../support/processed-events';

describe('poison records on a real Kafka broker', function () {
  this.timeout(120_000);
  let topic: string;
  let app: RunningService;
  before(async () => {
    topic = unique('poison');
    app = await runService(await onKafka(topic));
  });
  after(async () => app?.stop());

  it('sends poison to the DLQ with its key, value, headers and reason, and keeps the partition moving', async () => {
    const userId = unique('victim');
    const notUtf8 = Buffer.from([0xff, 0x00, 0xc3, 0x28]);
    const valid = aUserEvent({ userId });
    await produceRaw(await kafkaBrokers(), topic, [
      {
        key: userId,
        value: Buffer.from([0xff, 0xfe]),
        partition: 0,
        headers: { origin: 'fuzzer', blob: notUtf8, twice: ['a', Buffer.from([0x80])] },
      },
      { key: userId, value: '{"eventId": ', partition: 0 },
      { key: userId, value: JSON.stringify({ ...valid, eventType: '' }), partition: 0 },
      { key: userId, value: JSON.stringify(valid), partition: 0 },
    ]);
    await eventually(
      'the valid record after the poison',
      async () => {
        const list = await processedEventsOf(app.url, userId);
        return list.length === 1 ? list : undefined;
      },
      20_000,
    );

    const letters = await readTopic(await kafkaBrokers(), `${topic}.dlq`, 3);
    expect(letters.map((letter) => letter.headers['dlq-reason']?.toString())).to.deep.equal([
      'malformed',
      'malformed',
      'schema-violation',
    ]);
    const [first] = letters;
    expect(first!.key).to.equal(userId);
    expect(first!.value).to.deep.equal(Buffer.from([0xff, 0xfe]));
    expect(first!.headers.origin?.toString()).to.equal('fuzzer');
    expect(first!.headers.blob, 'a header that is not UTF-8').to.deep.equal(notUtf8);
    expect(first!.headers.twice, 'a repeated header').to.deep.equal([
      Buffer.from('a'),
      Buffer.from([0x80]),
    ]);
    expect(first!.headers['dlq-original-topic']?.toString()).to.equal(topic);
    expect(first!.headers['dlq-original-partition']?.toString()).to.equal('0');
    expect(first!.headers['dlq-original-offset']?.toString()).to.match(/^\d+$/);
    expect(Date.parse(String(first!.headers['dlq-failed-at']))).to.be.a('number').and.not.NaN;
    expect(first!.headers['dlq-error']?.toString()).to.equal('the value is not UTF-8');
  });

  it('moves past 100 poison records interleaved with 1,000 valid ones on one partition', async () => {
    const userId = unique('mixed');
    const poison = (n: number): Message['value'] =>
      [
        Buffer.from([0xc3, 0x28]),
        '{"truncated": ',
        JSON.stringify({ ...aUserEvent({ userId }), timestamp: 'yesterday' }),
      ][n % 3]!;
    const messages: Message[] = Array.from({ length: 1100 }, (_, n) => ({
      key: userId,
      partition: 0,
      // Every 11th record, and never the last, is poison.
      value: n % 11 === 5 ? poison(n) : JSON.stringify(aUserEvent({ userId })),
    }));
    await produceRaw(await kafkaBrokers(), topic, messages);

    const processed = await eventually(
      '1,000 valid records processed',
      async () => {
        const list = await processedEventsOf(app.url, userId, { limit: '1000' });
        return list.length === 1000 ? list : undefined;
      },
      60_000,
    );
    expect(processed).to.have.length(1000);

    const letters = (await readTopic(await kafkaBrokers(), `${topic}.dlq`, 103)).filter(
      (letter) => letter.key === userId,
    );
    expect(letters).to.have.length(100);
    expect(
      new Set(letters.map((letter) => String(letter.headers['dlq-original-offset']))).size,
    ).to.equal(100);
    for (const letter of letters) {
      expect(String(letter.headers['dlq-reason'])).to.be.oneOf(['malformed', 'schema-violation']);
      expect(String(letter.headers['dlq-original-partition'])).to.equal('0');
    }
  });
});
