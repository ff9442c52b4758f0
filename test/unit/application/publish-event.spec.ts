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
): PublishEvent {
  return new PublishEvent(publisher, fixedClock, new CryptoIdGenerator(), published);
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
    expect(isRight(result) && result.right[0]?.eventId).to.equal(id);
  });

  it('derives the same ids from the same idempotency key, and other ids from another key or user', async () => {
    const useCase = publishEventWith({ publish: acknowledges() });
    const idsFor = async (userId: string, key: string) => {
      const result = await useCase.execute({
        submissions: [login(userId)],
        idempotencyKey: key,
        requestId: 'r',
      })();
      return isRight(result) ? result.right[0]?.eventId : undefined;
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
    const ids = isRight(result) ? result.right.map((event) => event.eventId) : [];
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
});
