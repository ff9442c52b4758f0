import { expect } from 'chai';
import sinon from 'sinon';
import * as TE from 'fp-ts/TaskEither';
import { isLeft, isRight } from 'fp-ts/Either';
import { PublishEvent } from '../../../src/application/publish-event';
import type { EventPublisher } from '../../../src/application/event-publisher.port';
import type { EventSubmission } from '../../../src/domain/event-submission';
import type { EventId, EventType, UserId } from '../../../src/domain/event-fields';
import { CryptoIdGenerator } from '../../../src/adapters/system/crypto-id-generator';
import { RecentlyPublishedEvents } from '../../../src/adapters/memory/recently-published-events';
import type { PublishedEvents } from '../../../src/application/published-events.port';
import type { ProcessedEventStore } from '../../../src/application/processed-event-store.port';
import { InMemoryProcessedEventStore } from '../../../src/adapters/memory/in-memory-processed-event-store';
import { FaultyStore } from '../../support/faulty-store';

const NOW = new Date('2023-10-27T10:00:00.000Z');
const fixedClock = { now: () => NOW };
const login = (userId: string, eventId?: string): EventSubmission => ({
  userId: userId as UserId,
  eventType: 'LOGIN' as EventType,
  payload: { ip: '127.0.0.1' },
  eventId: eventId as EventId | undefined,
});

const publishedRecently = () => new RecentlyPublishedEvents(100);

function publishEventWith(
  publisher: EventPublisher,
  published: PublishedEvents = publishedRecently(),
  store: ProcessedEventStore = new InMemoryProcessedEventStore(fixedClock, 100),
): PublishEvent {
  return new PublishEvent(publisher, fixedClock, new CryptoIdGenerator(), published, store);
}

/** A bus that writes every event to partition 1, from offset 40 on. */
const acknowledges = (): EventPublisher['publish'] => (events) =>
  TE.right(events.map((_, index) => ({ partition: 1, offset: String(40 + index) })));

describe('PublishEvent', () => {
  it('publishes one event per submission with a fresh id and the server time', async () => {
    const publish = sinon
      .stub<Parameters<EventPublisher['publish']>, ReturnType<EventPublisher['publish']>>()
      .callsFake(acknowledges());
    const result = await publishEventWith({ publish }).execute({
      submissions: [login('a'), login('b')],
      requestId: 'r-1',
    })();
    expect(isRight(result)).to.equal(true);
    const [published, context] = publish.firstCall.args;
    expect(published.map((event) => [event.userId, event.timestamp])).to.deep.equal([
      ['a', '2023-10-27T10:00:00.000Z'],
      ['b', '2023-10-27T10:00:00.000Z'],
    ]);
    expect(new Set(published.map((event) => event.eventId)).size).to.equal(2);
    expect(context).to.deep.equal({ requestId: 'r-1' });
  });

  it('keeps an eventId chosen by the client', async () => {
    const id = 'e6a5c1f0-1b2f-4c3d-a4e5-f6a7b8c9d0e1';
    const result = await publishEventWith({ publish: acknowledges() }).execute({
      submissions: [login('a', id)],
      requestId: 'r',
    })();
    expect(isRight(result) && result.right.events[0]?.eventId).to.equal(id);
  });

  it('derives the same ids from the same idempotency key, and other ids from another key or user', async () => {
    const useCase = publishEventWith({ publish: acknowledges() });
    const idsFor = async (userId: string, key: string) => {
      const result = await useCase.execute({
        submissions: [login(userId)],
        idempotencyKey: key,
        requestId: 'r',
      })();
      return isRight(result) ? result.right.events[0]?.eventId : undefined;
    };
    const first = await idsFor('user123', 'order-42');
    expect(first).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await idsFor('user123', 'order-42')).to.equal(first);
    expect(await idsFor('user123', 'order-43')).to.not.equal(first);
    expect(await idsFor('user456', 'order-42')).to.not.equal(first);
  });

  it('reports a failed publication with the ids the client can retry with', async () => {
    const failing: EventPublisher = {
      publish: () => TE.left({ _tag: 'PublishTimedOut', afterMs: 5000 }),
    };
    const result = await publishEventWith(failing).execute({
      submissions: [login('a', 'e6a5c1f0-1b2f-4c3d-a4e5-f6a7b8c9d0e1')],
      requestId: 'r',
    })();
    expect(isLeft(result) && result.left).to.deep.equal({
      failure: { _tag: 'PublishTimedOut', afterMs: 5000 },
      eventIds: ['e6a5c1f0-1b2f-4c3d-a4e5-f6a7b8c9d0e1'],
    });
  });

  it('remembers where and when each acknowledged event was published, and nothing of a failed write', async () => {
    const published = publishedRecently();
    const result = await publishEventWith({ publish: acknowledges() }, published).execute({
      submissions: [login('a'), login('b')],
      requestId: 'r',
    })();
    const ids = isRight(result) ? result.right.events.map((event) => event.eventId) : [];
    expect(ids.map((id) => published.find(id))).to.deep.equal([
      { eventId: ids[0], location: { partition: 1, offset: '40' }, publishedAt: NOW },
      { eventId: ids[1], location: { partition: 1, offset: '41' }, publishedAt: NOW },
    ]);
    const failing: EventPublisher = {
      publish: () => TE.left({ _tag: 'BrokerUnavailable', detail: 'down' }),
    };
    const id = 'e6a5c1f0-1b2f-4c3d-a4e5-f6a7b8c9d0e2' as EventId;
    await publishEventWith(failing, published).execute({
      submissions: [login('c', id)],
      requestId: 'r',
    })();
    expect(published.find(id)).to.equal(undefined);
  });

  describe('with an Idempotency-Key', () => {
    const keyed = (submissions: EventSubmission[]) => ({
      submissions,
      idempotencyKey: 'order-42',
      requestId: 'r',
    });

    /** A store holding what the first request with this key published, processed. */
    async function afterAFirstRequest(submissions: EventSubmission[]) {
      const store = new InMemoryProcessedEventStore(fixedClock, 100);
      const first = await publishEventWith({ publish: acknowledges() }, undefined, store).execute(
        keyed(submissions),
      )();
      if (!isRight(first)) throw new Error('the first request failed');
      await store.saveIfNew(first.right.events.map((event) => ({ event })))();
      return { store, first: first.right.events };
    }

    it('answers a request seen before as the first time, and publishes nothing', async () => {
      const { store, first } = await afterAFirstRequest([login('a'), login('b')]);
      const publish = sinon.spy(acknowledges());
      const again = await publishEventWith({ publish }, undefined, store).execute(
        keyed([login('a'), login('b')]),
      )();
      expect(isRight(again) && again.right.repeated).to.equal(true);
      expect(isRight(again) && again.right.events.map((event) => event.eventId)).to.deep.equal(
        first.map((event) => event.eventId),
      );
      expect(publish.called).to.equal(false);
    });

    it('refuses the key reused for other content, naming the events, and publishes nothing', async () => {
      const { store, first } = await afterAFirstRequest([login('a')]);
      const publish = sinon.spy(acknowledges());
      const other = { ...login('a'), payload: { ip: '10.6.6.6' } };
      const refused = await publishEventWith({ publish }, undefined, store).execute(
        keyed([other]),
      )();
      expect(isLeft(refused) && refused.left).to.deep.equal({ reused: [first[0]!.eventId] });
      expect(publish.called).to.equal(false);
    });

    it('publishes what is not processed yet, and publishes when the store cannot answer', async () => {
      const { store } = await afterAFirstRequest([login('a')]);
      for (const lookup of [store, new FaultyStore({ findByIds: 'unavailable' })]) {
        const publish = sinon.spy(acknowledges());
        const result = await publishEventWith({ publish }, undefined, lookup).execute(
          keyed([login('a'), login('b')]),
        )();
        expect(isRight(result) && result.right.repeated).to.equal(false);
        expect(publish.calledOnce).to.equal(true);
      }
    });

    it('looks nothing up for a request without a key', async () => {
      const store = new InMemoryProcessedEventStore(fixedClock, 100);
      const lookups = sinon.spy(store, 'findByIds');
      await publishEventWith({ publish: acknowledges() }, undefined, store).execute({
        submissions: [login('a')],
        requestId: 'r',
      })();
      expect(lookups.called).to.equal(false);
    });
  });
});
