import { expect } from 'chai';
import sinon from 'sinon';
import * as E from 'fp-ts/Either';
import * as O from 'fp-ts/Option';
import { KafkaEventConsumer } from '../../../src/adapters/kafka/kafka-event-consumer';
import { RecordTracing } from '../../../src/adapters/kafka/record-tracing';
import { KafkajsGroupMember } from '../../../src/adapters/kafkajs/kafkajs-group-member';
import { toRecord } from '../../../src/adapters/kafka/user-event-record';
import { RecentlyPublishedEvents } from '../../../src/adapters/memory/recently-published-events';
import { ProcessEvent } from '../../../src/application/process-event';
import type { DeadLetterPublisher } from '../../../src/application/dead-letter-publisher.port';
import type { ProcessedEventStore } from '../../../src/application/processed-event-store.port';
import { InMemoryProcessedEventStore } from '../../../src/adapters/memory/in-memory-processed-event-store';
import { SystemClock } from '../../../src/adapters/system/system-clock';
import { PrometheusMetrics } from '../../../src/adapters/prometheus/prometheus-metrics';
import { CONSUMER_EVENTS, fakeConsumer, type Delivered } from '../../support/fake-kafka-consumer';
import { FaultyStore } from '../../support/faulty-store';
import { capturedLogger } from '../../support/captured-logs';
import { eventually } from '../../support/eventually';
import { aUserEvent } from '../../support/builders';
import { ReportedSetbacks } from '../../../src/adapters/memory/reported-setbacks';
import { RecordedDeadLetters } from '../../support/recorded-dead-letters';
import type { UserEvent } from '../../../src/domain/user-event';

const TOPIC = 'events';

function startedConsumer(
  store: ProcessedEventStore,
  deadLetters: DeadLetterPublisher = new RecordedDeadLetters(),
  maxAttempts?: number,
) {
  const fake = fakeConsumer();
  const logs = capturedLogger();
  const onFatal = sinon.spy();
  const setbacks = new ReportedSetbacks(store, new SystemClock(), 100);
  const member = new KafkajsGroupMember(
    fake.consumer,
    { topic: TOPIC, concurrentPartitions: 1, commitIntervalMs: 1000, onFatal },
    logs.logger,
  );
  const adapter = new KafkaEventConsumer(
    member,
    new ProcessEvent(store, new RecentlyPublishedEvents(100)),
    deadLetters,
    {
      storeRetries: { firstDelayMs: 1, maxDelayMs: 1, maxAttempts },
      deadLetterWrites: { firstDelayMs: 1, maxDelayMs: 1 },
    },
    { logger: logs.logger, metrics: new PrometheusMetrics(), setbacks },
    new RecordTracing(undefined, TOPIC),
  );
  const deliver = (...records: Delivered[]) => fake.deliver(TOPIC, 2, records);
  return { adapter, fake, logs, onFatal, deliver, setbacks, started: adapter.start() };
}

const recordOf = (event: UserEvent, offset: string): Delivered => {
  const { key, value, headers } = toRecord(event, 'urn:test', 'req-7');
  return {
    key: String(key),
    value: String(value),
    offset,
    headers: headers as Record<string, string>,
  };
};

/** The event `store` holds under this id, if any. */
async function storedEvent(store: ProcessedEventStore, event: UserEvent) {
  const found = await store.findById(event.eventId)();
  return E.isRight(found) ? O.toUndefined(found.right)?.event : undefined;
}

/** The error `work` rejected with; fails when it resolved, as a committed offset would. */
const rejectionOf = (work: Promise<unknown>): Promise<Error> =>
  work.then(
    () => {
      throw new Error('resolved, so kafkajs would have committed the offset');
    },
    (error: Error) => error,
  );

const outcomeLines = (lines: Array<Record<string, unknown>>) =>
  lines.filter((line) => typeof line.outcome === 'string');

describe('KafkaEventConsumer handling delivered records', () => {
  it('processes a valid record, then resolves its offset for kafkajs to commit', async () => {
    const store = new InMemoryProcessedEventStore(new SystemClock(), 10);
    const { deliver, fake, logs, started } = startedConsumer(store);
    await started;
    const event = aUserEvent();
    await deliver(recordOf(event, '41'));
    expect(await storedEvent(store, event)).to.deep.equal(event);
    expect(fake.resolved).to.deep.equal(['41']);
    expect(outcomeLines(logs.lines())).to.have.length(1);
    expect(outcomeLines(logs.lines())[0]).to.include({
      eventId: event.eventId,
      outcome: 'processed',
      partition: 2,
      offset: '41',
      requestId: 'req-7',
    });
  });

  it('settles a second copy as a duplicate without storing it again', async () => {
    const { deliver, logs, started } = startedConsumer(
      new InMemoryProcessedEventStore(new SystemClock(), 10),
    );
    await started;
    const event = aUserEvent();
    await deliver(recordOf(event, '1'), recordOf(event, '2'));
    expect(outcomeLines(logs.lines()).map((line) => line.outcome)).to.deep.equal([
      'processed',
      'duplicate',
    ]);
  });

  it('settles a copy with other content as a conflict, at warn, and keeps the first', async () => {
    const store = new InMemoryProcessedEventStore(new SystemClock(), 10);
    const { deliver, logs, started } = startedConsumer(store);
    await started;
    const event = aUserEvent();
    await deliver(recordOf(event, '1'), recordOf({ ...event, payload: { other: true } }, '2'));
    const lines = outcomeLines(logs.lines());
    expect(lines.map((line) => [line.outcome, line.level])).to.deep.equal([
      ['processed', 30],
      ['conflict', 40],
    ]);
    expect(await storedEvent(store, event)).to.deep.equal(event);
  });

  it('writes poison to the DLQ exactly as it arrived, and processes the valid records beside it', async () => {
    const deadLetters = new RecordedDeadLetters();
    const store = new InMemoryProcessedEventStore(new SystemClock(), 10);
    const { deliver, fake, logs, started } = startedConsumer(store, deadLetters);
    await started;
    const [before, after] = [aUserEvent(), aUserEvent()];
    await deliver(
      recordOf(before, '6'),
      { key: 'user-1', value: '{"not":"an event"', offset: '7', headers: { h: 'v' } },
      recordOf(after, '8'),
    );
    expect(outcomeLines(logs.lines()).map((line) => [line.eventId, line.offset])).to.deep.equal([
      [before.eventId, '6'],
      [after.eventId, '8'],
    ]);
    expect(fake.resolved).to.deep.equal(['8']);
    expect(deadLetters.letters).to.have.length(1);
    const [letter] = deadLetters.letters;
    expect(letter).to.deep.include({
      reason: 'malformed',
      error: 'the value is not JSON',
      headers: { h: [Buffer.from('v')] },
      origin: { topic: TOPIC, partition: 2, offset: '7' },
    });
    expect(letter!.key?.toString()).to.equal('user-1');
    expect(letter!.value?.toString()).to.equal('{"not":"an event"');
  });

  it('waits on poison whose dead letter cannot be written, heartbeating, until the DLQ takes it', async () => {
    const deadLetters = new RecordedDeadLetters(true);
    const { adapter, deliver, fake, logs, onFatal, started } = startedConsumer(
      new InMemoryProcessedEventStore(new SystemClock(), 10),
      deadLetters,
    );
    await started;
    const delivered = deliver({ value: 'poison', offset: '3' });
    await eventually('three refused writes', () => deadLetters.attempts >= 3 || undefined);
    expect(fake.resolved, 'nothing resolved while the DLQ refuses').to.deep.equal([]);
    expect(adapter.deadLettersWaiting()).to.equal(1);
    expect(
      logs.lines().filter((line) => line.msg === 'dead letter not written, retrying'),
    ).to.have.length.at.least(2);

    deadLetters.refusing = false;
    await delivered;
    expect(deadLetters.letters.map(({ origin }) => origin.offset)).to.deep.equal(['3']);
    expect(fake.resolved).to.deep.equal(['3']);
    expect(adapter.deadLettersWaiting()).to.equal(0);
    expect(fake.heartbeats.count).to.be.at.least(2);
    expect(onFatal.called).to.equal(false);
  });

  it('keeps the offset of poison whose dead letter is still refused when shutdown begins', async () => {
    const { adapter, deliver, fake, started } = startedConsumer(
      new InMemoryProcessedEventStore(new SystemClock(), 10),
      new RecordedDeadLetters(true),
    );
    await started;
    const delivered = deliver({ value: 'poison', offset: '3' });
    await eventually('a refused write', () => adapter.deadLettersWaiting() === 1 || undefined);
    await adapter.stop();
    const error = await rejectionOf(delivered);
    expect(error.message).to.equal('dead letter for offset 3 not written before shutdown');
    expect(fake.resolved).to.deep.equal([]);
    expect(adapter.deadLettersWaiting()).to.equal(0);
  });

  it('retries a failing store while the partition waits, heartbeating, until it succeeds', async () => {
    const store = new FaultyStore({ saveIfNew: 'unavailable' });
    const { deliver, fake, logs, started } = startedConsumer(store);
    await started;
    const event = aUserEvent();
    const delivered = deliver(recordOf(event, '5'));
    await eventually('two retries', () =>
      logs.lines().filter((line) => line.msg === 'processing failed, retrying').length >= 2
        ? true
        : undefined,
    );
    expect(fake.resolved, 'nothing resolved while retrying').to.deep.equal([]);
    store.heal();
    await delivered;
    expect(await storedEvent(store, event)).to.deep.equal(event);
    expect(fake.resolved).to.deep.equal(['5']);
    expect(fake.heartbeats.count).to.be.at.least(2);
  });

  it('reports the events of a failing save as retrying, and clears that once they are processed', async () => {
    const store = new FaultyStore({ saveIfNew: 'unavailable' });
    const { deliver, setbacks, started } = startedConsumer(store);
    await started;
    const event = aUserEvent();
    const delivered = deliver(recordOf(event, '5'));
    const retrying = await eventually('two failed attempts', () => {
      const setback = setbacks.find(event.eventId);
      return setback?.kind === 'retrying' && setback.attempts >= 2 ? setback : undefined;
    });
    expect(retrying).to.include({ kind: 'retrying', error: 'connection refused' });
    expect(E.isRight(await store.findSetback(event.eventId)()), 'and in the store').to.equal(true);
    store.heal();
    await delivered;
    expect(setbacks.find(event.eventId)).to.equal(undefined);
  });

  it('reports a dead-lettered event, valid or naming a valid eventId, with where its letter went', async () => {
    const deadLetters = new RecordedDeadLetters();
    const { deliver, setbacks, started } = startedConsumer(
      new FaultyStore({ saveIfNew: 'unavailable' }),
      deadLetters,
      2,
    );
    await started;
    const [exhausted, violating] = [aUserEvent(), aUserEvent()];
    await deliver(recordOf(exhausted, '9'), {
      value: JSON.stringify({ ...violating, eventType: 'not a type!' }),
      offset: '10',
    });
    expect(setbacks.find(exhausted.eventId)).to.deep.include({
      kind: 'dead-lettered',
      reason: 'retries-exhausted',
      error: 'connection refused',
      deadLetter: { partition: 0, offset: '0' },
    });
    // Poison waits for the valid records beside it: its letter is the second.
    expect(setbacks.find(violating.eventId)).to.deep.include({
      kind: 'dead-lettered',
      reason: 'schema-violation',
      deadLetter: { partition: 0, offset: '1' },
    });
  });

  it('dead-letters as retries-exhausted once a bounded number of attempts failed', async () => {
    const deadLetters = new RecordedDeadLetters();
    const { deliver, started } = startedConsumer(
      new FaultyStore({ saveIfNew: 'unavailable' }),
      deadLetters,
      3,
    );
    await started;
    await deliver(recordOf(aUserEvent(), '9'), recordOf(aUserEvent(), '10'));
    expect(
      deadLetters.letters.map(({ reason, error, origin }) => [reason, error, origin.offset]),
    ).to.deep.equal([
      ['retries-exhausted', 'connection refused', '9'],
      ['retries-exhausted', 'connection refused', '10'],
    ]);
  });

  it('keeps the offset of a record still retrying when shutdown begins, dead-lettering nothing', async () => {
    const deadLetters = new RecordedDeadLetters();
    const { adapter, deliver, fake, logs, started } = startedConsumer(
      new FaultyStore({ saveIfNew: 'unavailable' }),
      deadLetters,
    );
    await started;
    const delivered = deliver(recordOf(aUserEvent(), '11'));
    await eventually(
      'a retry',
      () => logs.lines().some((line) => line.msg === 'processing failed, retrying') || undefined,
    );
    await adapter.stop();
    const error = await rejectionOf(delivered);
    expect(error.message).to.equal('processing of offsets 11-11 interrupted by shutdown');
    expect(fake.resolved).to.deep.equal([]);
    expect(deadLetters.letters).to.deep.equal([]);
  });

  it('stores a large batch in chunks of 500, resolving each chunk once stored', async () => {
    const store = new InMemoryProcessedEventStore(new SystemClock(), 10_000);
    const saves = sinon.spy(store, 'saveIfNew');
    const { deliver, fake, started } = startedConsumer(store);
    await started;
    const events = Array.from({ length: 1200 }, () => aUserEvent());
    await deliver(...events.map((event, offset) => recordOf(event, String(offset))));
    expect(saves.args.map(([written]) => written.length)).to.deep.equal([500, 500, 200]);
    expect(fake.resolved).to.deep.equal(['499', '999', '1199']);
  });
});

describe('KafkaEventConsumer when kafkajs crashes', () => {
  const crash = (restart: boolean) => ({ error: new Error('group coordinator gone'), restart });

  function consumerWatching() {
    const started = startedConsumer(new InMemoryProcessedEventStore(new SystemClock(), 10));
    started.fake.emit(CONSUMER_EVENTS.GROUP_JOIN, { memberAssignment: { [TOPIC]: [0, 1] } });
    return started;
  }

  it('reports a crash that kafkajs will not restart as fatal, and is no longer assigned', () => {
    const { adapter, fake, onFatal } = consumerWatching();
    expect(adapter.isAssigned()).to.equal(true);
    fake.emit(CONSUMER_EVENTS.CRASH, crash(false));
    expect(onFatal.calledOnce).to.equal(true);
    expect(onFatal.firstCall.args[0]).to.be.instanceOf(Error);
    expect(adapter.isAssigned()).to.equal(false);
  });

  it('leaves a crash that kafkajs restarts to kafkajs', () => {
    const { fake, onFatal } = consumerWatching();
    fake.emit(CONSUMER_EVENTS.CRASH, crash(true));
    expect(onFatal.called).to.equal(false);
  });

  it('does not report a crash during its own shutdown', async () => {
    const { adapter, fake, onFatal } = consumerWatching();
    await adapter.stop();
    fake.emit(CONSUMER_EVENTS.CRASH, crash(false));
    expect(onFatal.called).to.equal(false);
  });
});
