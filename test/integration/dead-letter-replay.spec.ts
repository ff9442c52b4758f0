import { expect } from 'chai';
import { PROCESSED_EVENT_STORE } from '../../src/application/processed-event-store.port';
import { onKafka, postJson, runService, type RunningService } from '../support/running-service';
import { eventually } from '../support/eventually';
import { unique } from '../support/unique';
import { seedLoginBody } from '../support/builders';
import { dlqCommand } from '../support/dlq-command';
import { FaultyStore } from '../support/faulty-store';
import { kafkaBrokers } from '../support/kafka-broker';
import { produceRaw, readTopic } from '../support/raw-kafka';

describe('the DLQ command', function () {
  this.timeout(180_000);
  let variables: Record<string, string>;
  let app: RunningService | undefined;
  before(async () => {
    variables = await onKafka(unique('replay'));
  });
  after(async () => app?.stop());

  it('lists an event whose retries were exhausted, and replays it once the store is back', async () => {
    app = await runService({ ...variables, PROCESS_MAX_ATTEMPTS: '2' }, (container) =>
      container.register(PROCESSED_EVENT_STORE, {
        useValue: new FaultyStore({ saveIfNew: 'unavailable' }),
      }),
    );
    const { eventId } = (await (
      await postJson(`${app.url}/events/generate`, seedLoginBody())
    ).json()) as { eventId: string };
    const listed = await eventually(
      'the event on the DLQ',
      async () => {
        const lines = (await dlqCommand(['list'], variables))
          .trim()
          .split('\n')
          .filter((line) => line !== '');
        return lines.length > 0
          ? lines.map((line) => JSON.parse(line) as Record<string, string>)
          : undefined;
      },
      60_000,
      1000,
    );
    expect(listed).to.have.length(1);
    expect(listed[0]).to.include({
      reason: 'retries-exhausted',
      eventId,
      error: 'connection refused',
    });
    await app.stop();

    app = await runService(variables);
    expect(
      (await fetch(`${app.url}/events/processed/${eventId}`)).status,
      'committed, not redelivered',
    ).to.equal(404);
    await dlqCommand(['replay', listed[0]!.id!], variables);
    const { url } = app;
    await eventually(
      'the replayed event processed',
      async () =>
        (await fetch(`${url}/events/processed/${eventId}`)).status === 200 ? true : undefined,
      30_000,
    );
  });

  it('replays a dead letter with the same key, value and header bytes it arrived with', async () => {
    const topic = unique('replay-bytes');
    const ownVariables = await onKafka(topic);
    const service = await runService(ownVariables);
    try {
      const poison = {
        key: Buffer.from([0x00, 0xfe, 0x41]),
        value: Buffer.from([0xc3, 0x28, 0x7b]),
        headers: { blob: Buffer.from([0xff, 0x00, 0x80]), twice: ['a', Buffer.from([0xfe])] },
      };
      await produceRaw(await kafkaBrokers(), topic, [{ ...poison, partition: 0 }]);
      const [letter] = await readTopic(await kafkaBrokers(), `${topic}.dlq`, 1);
      expect(String(letter!.headers['dlq-original-offset'])).to.equal('0');
      await dlqCommand(['replay', `${letter!.partition}:0`], ownVariables);

      const [, replayed] = await readTopic(await kafkaBrokers(), topic, 2);
      expect(replayed!.value).to.deep.equal(poison.value);
      expect(replayed!.keyBytes).to.deep.equal(poison.key);
      expect(replayed!.headers).to.deep.equal({
        blob: poison.headers.blob,
        twice: [Buffer.from('a'), Buffer.from([0xfe])],
      });
    } finally {
      await service.stop();
    }
  });

  it('refuses to replay a letter that is not on the DLQ', async () => {
    const failure = await dlqCommand(['replay', '9:999999'], variables).then(
      () => 'exit 0',
      (error: { code?: number }) => `exit ${error.code}`,
    );
    expect(failure).to.equal('exit 2');
  });
});
