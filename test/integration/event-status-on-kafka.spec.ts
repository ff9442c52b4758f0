import { expect } from 'chai';
import { kafkaBrokers } from '../support/kafka-broker';
import { onKafka, postJson, runService, type RunningService } from '../support/running-service';
import { capturedLogger, keepLinesOfFailedTest } from '../support/captured-logs';
import { eventually } from '../support/eventually';
import { statusOnceIt } from '../support/event-status';
import { scrapeMetrics } from '../support/metrics-scrape';
import { produceRaw, readTopic, type ReadRecord } from '../support/raw-kafka';
import { unique } from '../support/unique';

describe('event statuses on a real Kafka broker', function () {
  this.timeout(120_000);
  const { logger, lines } = capturedLogger();
  let topic: string;
  let brokers: string[];
  let app: RunningService;
  before(async () => {
    topic = unique('status');
    brokers = await kafkaBrokers();
    app = await runService(await onKafka(topic), undefined, logger);
  });
  afterEach(function () {
    keepLinesOfFailedTest(this.currentTest, 'event-status-on-kafka', lines);
  });
  after(async () => app?.stop());

  /** The service's own record of `eventId` on the topic. */
  const recordOf = async (eventId: string): Promise<ReadRecord> => {
    const records = await readTopic(brokers, topic, 1);
    const record = records.find((one) => one.value?.toString().includes(eventId));
    if (record === undefined) throw new Error(`no record of ${eventId} on ${topic}`);
    return record;
  };
  /** The same record with its JSON value changed by `change`. */
  const rewritten = (record: ReadRecord, change: (value: Record<string, unknown>) => void) => {
    const value = JSON.parse(record.value!.toString()) as Record<string, unknown>;
    change(value);
    return { key: record.keyBytes, value: JSON.stringify(value), headers: record.headers };
  };

  it('gives processed the partition and offset of the record, copies as deliveries, other content as a conflict', async () => {
    const response = await postJson(`${app.url}/events/generate`, {
      userId: unique('user'),
      eventType: 'LOGIN',
      payload: { ip: '192.168.1.1' },
    });
    const { eventId } = (await response.json()) as { eventId: string };
    const processed = await statusOnceIt(app.url, eventId, 'processed');
    const record = await recordOf(eventId);
    expect(processed).to.include({
      eventId,
      partition: record.partition,
      offset: record.offset,
      deliveries: 1,
    });

    // The same bytes again, as a producer's retry would write them: a duplicate.
    await produceRaw(brokers, topic, [rewritten(record, () => undefined)]);
    await eventually('the copy counted', async () => {
      const seen = (await (await fetch(`${app.url}/events/${eventId}/status`)).json()) as {
        deliveries: number;
      };
      return seen.deliveries === 2 || undefined;
    });

    await produceRaw(brokers, topic, [
      rewritten(record, (value) => (value.payload = { ip: '10.6.6.6' })),
    ]);
    const conflicting = await statusOnceIt(app.url, eventId, 'conflicting');
    expect(conflicting).to.include({
      partition: record.partition,
      offset: record.offset,
      deliveries: 3,
      conflicts: 1,
    });

    const scrape = await scrapeMetrics(app.url);
    expect(scrape.value('events_processed_total', { outcome: 'conflict' })).to.equal(1);
    const warned = lines().filter((line) => line.msg === 'event conflicts with the processed one');
    expect(warned).to.have.length(1);
    expect(warned[0]).to.include({ level: 40, eventId, outcome: 'conflict' });
    expect(JSON.stringify(warned[0]), 'ids only, never the payload').to.not.include('10.6.6.6');
  });
});
