import { expect } from 'chai';
import * as E from 'fp-ts/Either';
import { ProcessEvent, type ProcessOutcome } from '../../../src/application/process-event';
import { InMemoryProcessedEventStore } from '../../../src/adapters/memory/in-memory-processed-event-store';
import { SystemClock } from '../../../src/adapters/system/system-clock';
import { aUserEvent, delivered } from '../../support/builders';
import { tally } from '../../support/tally';
import { RecentlyPublishedEvents } from '../../../src/adapters/memory/recently-published-events';
import type { ProcessedEventStore } from '../../../src/application/processed-event-store.port';
import type { UserEvent } from '../../../src/domain/user-event';
import { FaultyStore } from '../../support/faulty-store';

const processEventOn = (
  store: ProcessedEventStore,
  published = new RecentlyPublishedEvents(100),
): ProcessEvent => new ProcessEvent(store, published);

const publishedNow = (event: UserEvent) => ({
  eventId: event.eventId,
  location: { partition: 0, offset: '7' },
  publishedAt: new Date(),
});

describe('ProcessEvent', () => {
  it('processes an event the first time and counts every later copy as a duplicate', async () => {
    const processEvent = processEventOn(new InMemoryProcessedEventStore(new SystemClock(), 100));
    const event = aUserEvent();
    expect(await processEvent.execute(delivered(event))()).to.deep.equal(E.right(['processed']));
    expect(await processEvent.execute(delivered({ ...event }))()).to.deep.equal(
      E.right(['duplicate']),
    );
  });

  it('answers a batch with one outcome per event, in order', async () => {
    const processEvent = processEventOn(new InMemoryProcessedEventStore(new SystemClock(), 100));
    const [a, b] = [aUserEvent(), aUserEvent()];
    expect(await processEvent.execute(delivered(a, b, { ...a }))()).to.deep.equal(
      E.right(['processed', 'processed', 'duplicate']),
    );
  });

  it('processes exactly one of 20 concurrent deliveries of one event', async () => {
    const processEvent = processEventOn(new InMemoryProcessedEventStore(new SystemClock(), 100));
    const event = aUserEvent();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => processEvent.execute(delivered({ ...event }))()),
    );
    const outcomes = results.map(E.map((each: readonly ProcessOutcome[]) => each[0]!));
    expect(tally(outcomes)).to.deep.equal({ errors: 0, processed: 1, duplicate: 19 });
  });

  it('forgets having published the events the store now answers for, and only those', async () => {
    const published = new RecentlyPublishedEvents(100);
    const processEvent = processEventOn(
      new InMemoryProcessedEventStore(new SystemClock(), 100),
      published,
    );
    const [processed, waiting] = [aUserEvent(), aUserEvent()];
    published.remember([publishedNow(processed), publishedNow(waiting)]);
    await processEvent.execute(delivered(processed))();
    expect(published.find(processed.eventId)).to.equal(undefined);
    expect(published.find(waiting.eventId)).to.deep.include({ eventId: waiting.eventId });
  });

  it('still knows the events published while the store cannot take them', async () => {
    const published = new RecentlyPublishedEvents(100);
    const processEvent = processEventOn(new FaultyStore({ saveIfNew: 'unavailable' }), published);
    const event = aUserEvent();
    published.remember([publishedNow(event)]);
    expect(E.isLeft(await processEvent.execute(delivered(event))())).to.equal(true);
    expect(published.find(event.eventId)).to.deep.include({ eventId: event.eventId });
  });
});
