import { expect } from 'chai';
import type { Message } from 'kafkajs';
import { onKafka, postJson, runService, type RunningService } from '../support/running-service';
import { kafkaBrokers } from '../support/kafka-broker';
import { capturedLogger } from '../support/captured-logs';
import { eventually } from '../support/eventually';
import { scrapeMetrics } from '../support/metrics-scrape';
import { processedEventsOf } from '../support/processed-events';
import { produceRaw, readTopic, withAdmin } from '../support/raw-kafka';
import { aUserEvent, seedLoginBody } from '../support/builders';
import { unique } from '../support/unique';

interface Health {
  readonly status: string;
  readonly checks: Record<string, string>;
}

async function readiness(url: string): Promise<{ code: number; body: Health }> {
  const response = await fetch(`${url}/health/ready`);
  return { code: response.status, body: (await response.json()) as Health };
}

const validRecords = (userId: string, partition: number, count: number): Message[] =>
  Array.from({ length: count }, () => ({
    key: userId,
    partition,
    value: JSON.stringify(aUserEvent({ userId })),
  }));

describe('a DLQ topic that cannot be written (deleted on the real broker)', function () {
  this.timeout(120_000);
  const logs = capturedLogger();
  const topic = unique('dlq-down');
  const dlqTopic = `${topic}.dlq`;
  let app: RunningService;
  before(async () => {
    app = await runService(await onKafka(topic), undefined, logs.logger);
  });
  after(async () => app?.stop());

  it('holds only the poison record, keeps the member in its group, and writes the letter once the topic is back', async () => {
    const brokers = await kafkaBrokers();
    await withAdmin(brokers, (admin) => admin.deleteTopics({ topics: [dlqTopic] }));
    const [poisoned, second, third] = [unique('poisoned'), unique('second'), unique('third')];
    await produceRaw(brokers, topic, [
      { key: poisoned, partition: 0, value: '{"truncated": ' },
      ...validRecords(second, 1, 5),
      ...validRecords(third, 2, 5),
    ]);

    for (const userId of [second, third]) {
      await eventually(`the other partitions' events of ${userId} processed`, async () =>
        (await processedEventsOf(app.url, userId)).length === 5 ? true : undefined,
      );
    }
    const degraded = await eventually('readiness to say the DLQ is failing', async () => {
      const answer = await readiness(app.url);
      return answer.body.checks.deadLetterQueue === 'degraded' ? answer : undefined;
    });
    expect(degraded.code, 'still ready: the intake works').to.equal(200);
    expect(degraded.body.checks).to.include({ producer: 'up', consumer: 'up' });
    expect((await scrapeMetrics(app.url)).value('dead_letters_waiting')).to.equal(1);
    expect((await postJson(`${app.url}/events/generate`, seedLoginBody())).status).to.equal(201);
    expect(logs.lines().filter((line) => line.msg === 'dead letter not written, retrying')).to.not
      .be.empty;

    await eventually(
      'the DLQ topic created again',
      () =>
        withAdmin(brokers, (admin) =>
          admin.createTopics({
            topics: [{ topic: dlqTopic, numPartitions: 3 }],
            waitForLeaders: true,
          }),
        ).then(
          (created) => created || undefined,
          () => undefined,
        ),
      30_000,
      500,
    );
    const [letter] = await readTopic(brokers, dlqTopic, 1);
    expect(letter!.key).to.equal(poisoned);
    expect(String(letter!.headers['dlq-reason'])).to.equal('malformed');
    await eventually('readiness to say the DLQ is up again', async () =>
      (await readiness(app.url)).body.checks.deadLetterQueue === 'up' ? true : undefined,
    );
    expect((await scrapeMetrics(app.url)).value('dead_letters_waiting')).to.equal(0);

    await produceRaw(brokers, topic, validRecords(poisoned, 0, 1));
    await eventually('the poisoned partition moving again', async () =>
      (await processedEventsOf(app.url, poisoned)).length === 1 ? true : undefined,
    );
    expect(logs.lines().filter((line) => line.msg === 'consumer crashed')).to.deep.equal([]);
    const retried = logs.lines().filter((line) => line.msg === 'dead letter not written, retrying');
    console.log(
      `      DLQ topic deleted: produced 1 poison + 11 valid, POST 1 (201), processed 11 of 11 valid, DLQ write retries ${retried.length}, dead-lettered 1 once the topic was back, consumer crashes 0, lost 0`,
    );
  });
});
