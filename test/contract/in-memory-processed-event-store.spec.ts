import { expect } from 'chai';
import * as E from 'fp-ts/Either';
import {
  eventBytes,
  InMemoryProcessedEventStore,
} from '../../src/adapters/memory/in-memory-processed-event-store';
import { SystemClock } from '../../src/adapters/system/system-clock';
import { processedEventStoreContract } from './processed-event-store.contract';
import { aUserEvent, delivered } from '../support/builders';

processedEventStoreContract(
  'InMemoryProcessedEventStore',
  async () => ({ store: new InMemoryProcessedEventStore(new SystemClock(), 10_000) }),
  async () => ({ store: new InMemoryProcessedEventStore(new SystemClock(), 3) }),
);

describe('InMemoryProcessedEventStore beyond the contract', () => {
  const withPayloadOf = (bytes: number) => aUserEvent({ payload: { text: 'x'.repeat(bytes) } });
  const storedIds = async (store: InMemoryProcessedEventStore) => {
    const page = await store.list({ limit: 100 })();
    if (E.isLeft(page)) throw new Error('the in-memory store failed');
    return page.right.events.map((event) => event.eventId);
  };

  it('counts an event as about the characters of its text', () => {
    const event = aUserEvent({ payload: { é: 'ü', n: 1, list: ['ab', null] } });
    const { eventId, userId, eventType, timestamp } = event;
    const payload = 2 + (1 + 4 + 3) + (1 + 4 + 8) + (4 + 4 + (2 + (4 + 1) + (8 + 1)));
    expect(eventBytes(event)).to.equal(
      eventId.length + userId.length + eventType.length + timestamp.length + payload,
    );
    expect(JSON.stringify(event).length, 'close to its JSON').to.be.closeTo(eventBytes(event), 60);
  });

  it('evicts the oldest events once their bytes pass its byte bound, whatever their count', async () => {
    const events = Array.from({ length: 6 }, () => withPayloadOf(10_000));
    const store = new InMemoryProcessedEventStore(
      new SystemClock(),
      1000,
      3 * eventBytes(events[0]!),
    );
    for (const event of events) await store.saveIfNew(delivered(event))();
    expect(await storedIds(store)).to.deep.equal(events.slice(3).map((event) => event.eventId));
  });

  it('keeps the newest event even when it alone is larger than the byte bound', async () => {
    const [small, huge] = [withPayloadOf(10), withPayloadOf(100_000)];
    const store = new InMemoryProcessedEventStore(new SystemClock(), 1000, 50_000);
    await store.saveIfNew(delivered(small, huge))();
    expect(await storedIds(store)).to.deep.equal([huge.eventId]);
  });

  it('follows on from the oldest event it kept when the cursor was evicted, across many evictions', async () => {
    const store = new InMemoryProcessedEventStore(new SystemClock(), 10);
    const events = Array.from({ length: 3000 }, () => aUserEvent());
    const start = await store.followingEnd()();
    for (const event of events) await store.saveIfNew(delivered(event))();
    if (E.isLeft(start)) throw new Error('the in-memory store failed');
    const followed = await store.follow({ after: start.right, limit: 100 })();
    if (E.isLeft(followed)) throw new Error('the in-memory store failed');
    expect(followed.right.events.map((one) => one.event.eventId)).to.deep.equal(
      events.slice(-10).map((event) => event.eventId),
    );
    const last = followed.right.events.at(-1)!.cursor;
    const more = aUserEvent();
    await store.saveIfNew(delivered(more))();
    const next = await store.follow({ after: last, limit: 100 })();
    if (E.isLeft(next)) throw new Error('the in-memory store failed');
    expect(next.right.events.map((one) => one.event.eventId)).to.deep.equal([more.eventId]);
  });
});
