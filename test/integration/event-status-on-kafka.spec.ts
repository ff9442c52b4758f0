import { expect } from 'chai';
import { kafkaBrokers } from '../support/kafka-broker';
import { onKafka, postJson, runService, type RunningService } from '../support/running-service';
import { capturedLogger, keepLinesOfFailedTest } from '../support/captured-logs';
import { eventually } from '../support/eventually';
import { statusOnceIt } from '../support/event-status';
import { scrapeMetrics } from '../support/metrics-scrape';
import { produceRaw, readTopic, type ReadRecord } from '../support/raw-kafka';
import { unique } from '../support/unique';
import { dlqCommand } from '../support/dlq-command';
import { FaultyStore } from '../support/faulty-store';
import { heldStore } from '../support/held-store';
import { PROCESSED_EVENT_STORE } from '../../src/application/processed-event-store.port';

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

  it('answers published with the partition and offset of the record while it waits for processing', async () => {
    const variables = await onKafka(unique('status-published'));
    const held = heldStore();
    const waiting = await runService(variables, (container) =>
      container.register(PROCESSED_EVENT_STORE, { useValue: held.store }),
    );
    try {
      const response = await postJson(`${waiting.url}/events/generate`, {
        userId: unique('user'),
        eventType: 'LOGIN',
      });
      const { eventId } = (await response.json()) as { eventId: string };
      const status = (await (await fetch(`${waiting.url}/events/${eventId}/status`)).json()) as {
        status: string;
      };
      const [record] = await readTopic(brokers, variables.KAFKA_TOPIC!, 1);
      expect(status).to.include({
        eventId,
        status: 'published',
        partition: record!.partition,
        offset: record!.offset,
      });
      held.release();
      await statusOnceIt(waiting.url, eventId, 'processed');
    } finally {
      held.release();
      await waiting.stop();
    }
  });

  it('follows an event from retrying to dead-lettered, and its replayed dead letter to processed', async () => {
    const variables = await onKafka(unique('status-journey'));
    const store = new FaultyStore({ saveIfNew: 'unavailable' });
    // Six attempts: 3.1 s of retries (0.1 s, 0.2 s … 1.6 s apart) before the dead letter.
    const journey = await runService({ ...variables, PROCESS_MAX_ATTEMPTS: '6' }, (container) =>
      container.register(PROCESSED_EVENT_STORE, { useValue: store }),
    );
    try {
      const response = await postJson(`${journey.url}/events/generate`, {
        userId: unique('user'),
        eventType: 'LOGIN',
      });
      const { eventId } = (await response.json()) as { eventId: string };
      const retrying = await statusOnceIt(journey.url, eventId, 'retrying');
      expect(retrying).to.include({ error: 'connection refused' });
      expect(retrying.attempts).to.be.a('number').at.least(1);

      const deadLettered = await statusOnceIt(journey.url, eventId, 'dead-lettered');
      expect(deadLettered).to.include({ reason: 'retries-exhausted', error: 'connection refused' });
      const { partition, offset } = deadLettered.deadLetter as {
        partition: number;
        offset: string;
      };
      const [listed] = (await dlqCommand(['list'], variables))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, string>);
      expect(listed).to.include({ id: `${partition}:${offset}`, eventId });

      store.heal();
      await dlqCommand(['replay', `${partition}:${offset}`], variables);
      const processed = await statusOnceIt(journey.url, eventId, 'processed');
      expect(processed).to.include({ deliveries: 1 });
    } finally {
      await journey.stop();
    }
  });
});
