import { expect } from 'chai';
import * as E from 'fp-ts/Either';
import * as O from 'fp-ts/Option';
import { GetEventStatus } from '../../../src/application/get-event-status';
import type { Setback } from '../../../src/application/processed-event-store.port';
import type { EventStatus } from '../../../src/application/event-status';
import type { EventId } from '../../../src/domain/event-fields';
import { InMemoryProcessedEventStore } from '../../../src/adapters/memory/in-memory-processed-event-store';
import { RecentlyPublishedEvents } from '../../../src/adapters/memory/recently-published-events';
import { ReportedSetbacks } from '../../../src/adapters/memory/reported-setbacks';
import type { ProcessedEventStore } from '../../../src/application/processed-event-store.port';
import { aUserEvent } from '../../support/builders';
import { FaultyStore } from '../../support/faulty-store';

const at = (second: number) => new Date(Date.UTC(2026, 10, 29, 12, 0, second));

/** The use case over `store`, with this instance's published events and setbacks at hand. */
function statuses(
  store: ProcessedEventStore = new InMemoryProcessedEventStore({ now: () => at(0) }, 100),
) {
  let now = at(0);
  const clock = { now: () => now };
  const published = new RecentlyPublishedEvents(100);
  const setbacks = new ReportedSetbacks(store, clock, 100);
  const getStatus = new GetEventStatus(store, published, setbacks);
  const statusOf = async (eventId: EventId) =>
    E.map((found: O.Option<EventStatus>) => O.toUndefined(found))(
      await getStatus.execute(eventId)(),
    );
  const setClock = (second: number) => (now = at(second));
  return { store, published, setbacks, statusOf, setClock };
}

const retrying: Omit<Extract<Setback, { kind: 'retrying' }>, 'at'> = {
  kind: 'retrying',
  attempts: 3,
  error: 'connection refused',
};

describe('GetEventStatus', () => {
  it('answers processed before any setback or publication', async () => {
    const { store, published, setbacks, statusOf } = statuses();
    const event = aUserEvent();
    published.remember([
      { eventId: event.eventId, location: { partition: 0, offset: '1' }, publishedAt: at(0) },
    ]);
    setbacks.report([event.eventId], retrying);
    await store.saveIfNew([{ event }])();
    const found = await statusOf(event.eventId);
    expect(E.isRight(found) && found.right).to.deep.include({ status: 'processed', deliveries: 1 });
  });

  it('answers the later of its own setback and the store one, before a publication', async () => {
    const { store, published, setbacks, statusOf, setClock } = statuses();
    const event = aUserEvent();
    published.remember([
      { eventId: event.eventId, location: { partition: 0, offset: '1' }, publishedAt: at(0) },
    ]);
    setClock(5);
    setbacks.report([event.eventId], retrying);
    const deadLettered: Setback = {
      kind: 'dead-lettered',
      reason: 'retries-exhausted',
      error: 'connection refused',
      at: at(9),
      deadLetter: { partition: 1, offset: '7' },
    };
    await store.recordSetback([event.eventId], deadLettered)();
    expect(await statusOf(event.eventId)).to.deep.equal(
      E.right({
        status: 'dead-lettered',
        eventId: event.eventId,
        reason: 'retries-exhausted',
        error: 'connection refused',
        deadLetteredAt: at(9),
        deadLetter: { partition: 1, offset: '7' },
      }),
    );
    setClock(12);
    setbacks.report([event.eventId], retrying);
    const found = await statusOf(event.eventId);
    expect(E.isRight(found) && found.right?.status, 'a replay retried since').to.equal('retrying');
  });

  it('answers published when nothing holds the event back', async () => {
    const { published, statusOf } = statuses();
    const event = aUserEvent();
    published.remember([
      { eventId: event.eventId, location: { partition: 2, offset: '8' }, publishedAt: at(1) },
    ]);
    expect(await statusOf(event.eventId)).to.deep.equal(
      E.right({
        status: 'published',
        eventId: event.eventId,
        location: { partition: 2, offset: '8' },
        publishedAt: at(1),
      }),
    );
  });

  it('answers from what it knows itself while the store is unavailable, else fails', async () => {
    const store = new FaultyStore({
      findById: 'unavailable',
      findSetback: 'unavailable',
      recordSetback: 'unavailable',
    });
    const { setbacks, statusOf } = statuses(store);
    const [held, unknown] = [aUserEvent(), aUserEvent()];
    setbacks.report([held.eventId], retrying);
    const found = await statusOf(held.eventId);
    expect(E.isRight(found) && found.right).to.deep.include({ status: 'retrying', attempts: 3 });
    expect(E.isLeft(await statusOf(unknown.eventId))).to.equal(true);
  });

  it('answers nothing for an id it knows nothing of', async () => {
    const { statusOf } = statuses();
    expect(await statusOf(aUserEvent().eventId)).to.deep.equal(E.right(undefined));
  });
});
