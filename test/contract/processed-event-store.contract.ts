import { expect } from 'chai';
import * as E from 'fp-ts/Either';
import { isRight } from 'fp-ts/Either';
import * as O from 'fp-ts/Option';
import type {
  FollowCursor,
  FollowQuery,
  ProcessedEvent,
  ProcessedEventStore,
  SaveOutcome,
} from '../../src/application/processed-event-store.port';
import type { EventId, EventType, Timestamp, UserId } from '../../src/domain/event-fields';
import { aUserEvent, delivered } from '../support/builders';
import { tally } from '../support/tally';
import { right } from '../support/right';
import { eventually } from '../support/eventually';

export interface StoreUnderTest {
  readonly store: ProcessedEventStore;
}

/**
 * What every ProcessedEventStore promises (SPEC section 4). `makeStore` returns a store that
 * holds nothing the test did not put there; `makeBounded` one that keeps at most 3 events.
 */
export function processedEventStoreContract(
  name: string,
  makeStore: () => Promise<StoreUnderTest>,
  makeBounded?: () => Promise<StoreUnderTest>,
): void {
  describe(`${name} honours the ProcessedEventStore contract`, () => {
    let store: ProcessedEventStore;
    beforeEach(async () => ({ store } = await makeStore()));

    const storedEvent = async (eventId: EventId) =>
      O.map((processed: ProcessedEvent) => processed.event)(right(await store.findById(eventId)()));
    const processingOf = async (eventId: EventId): Promise<ProcessedEvent> => {
      const found = right(await store.findById(eventId)());
      if (O.isNone(found)) throw new Error(`${eventId} is not stored`);
      return found.value;
    };

    it('stores a new event and reads it back unchanged', async () => {
      const event = aUserEvent({
        payload: { ip: '127.0.0.1', nested: { list: [1, 'two', null] } },
      });
      expect(right(await store.saveIfNew(delivered(event))())).to.deep.equal(['stored']);
      expect(await storedEvent(event.eventId)).to.deep.equal(O.some(event));
    });

    it('records where and when the stored copy was processed, and one delivery', async () => {
      const event = aUserEvent();
      const before = Date.now();
      // Beyond 2^53: an offset must come back as the same text, never through a float.
      const location = { partition: 4, offset: '9007199254740993' };
      await store.saveIfNew([{ event, location }])();
      const processed = await processingOf(event.eventId);
      expect(processed).to.deep.include({ location, deliveries: 1, conflicts: 0 });
      expect(processed.lastConflictAt).to.equal(undefined);
      // The database's clock and this process's may differ by a little.
      expect(processed.processedAt.getTime()).to.be.within(before - 5000, Date.now() + 5000);
    });

    it('gives back each offset as the text it was given, partition 0 and offset 0 included', async () => {
      const locations = ['0', '7', '2147483648', '9223372036854775807'].map(
        (offset, partition) => ({
          partition,
          offset,
        }),
      );
      const events = locations.map(() => aUserEvent());
      await store.saveIfNew(
        events.map((event, index) => ({ event, location: locations[index] })),
      )();
      const found = await Promise.all(events.map(({ eventId }) => processingOf(eventId)));
      expect(found.map(({ location }) => location)).to.deep.equal(locations);
    });

    it('has no location for an event delivered without one', async () => {
      const event = aUserEvent();
      await store.saveIfNew(delivered(event))();
      expect((await processingOf(event.eventId)).location).to.equal(undefined);
    });

    it('reports a later copy with the same content as a duplicate, whatever its timestamp', async () => {
      const event = aUserEvent({ payload: { ip: '127.0.0.1', device: { os: 'linux', v: 2 } } });
      await store.saveIfNew(delivered(event))();
      // A retried request gets a new timestamp; payload keys may come in another order.
      const retried = {
        ...event,
        timestamp: new Date().toISOString() as Timestamp,
        payload: { device: { v: 2, os: 'linux' }, ip: '127.0.0.1' },
      };
      expect(right(await store.saveIfNew(delivered(retried))())).to.deep.equal(['duplicate']);
      expect(await storedEvent(event.eventId)).to.deep.equal(O.some(event));
      expect(await processingOf(event.eventId)).to.deep.include({ deliveries: 2, conflicts: 0 });
    });

    it('reports a later copy with other content as a conflict, counts it and keeps the first', async () => {
      const event = aUserEvent();
      await store.saveIfNew(delivered(event))();
      const others = [
        { ...event, userId: 'someone-else' as UserId },
        { ...event, eventType: 'OTHER' as EventType },
        { ...event, payload: { ip: '10.0.0.1' } },
      ];
      for (const other of others) {
        expect(right(await store.saveIfNew(delivered(other))())).to.deep.equal(['conflict']);
      }
      expect(await storedEvent(event.eventId)).to.deep.equal(O.some(event));
      const processed = await processingOf(event.eventId);
      expect(processed).to.deep.include({ deliveries: 4, conflicts: 3 });
      expect(processed.lastConflictAt?.getTime()).to.be.at.least(processed.processedAt.getTime());
    });

    it('answers one outcome per event of a batch, in order, later copies inside it and across batches', async () => {
      const [earlier, a, b] = [aUserEvent(), aUserEvent(), aUserEvent()];
      await store.saveIfNew(delivered(earlier))();
      const outcomes = right(
        await store.saveIfNew(
          delivered(a, earlier, { ...a, eventType: 'OTHER' as EventType }, b, a),
        )(),
      );
      expect(outcomes).to.deep.equal(['stored', 'duplicate', 'conflict', 'stored', 'duplicate']);
      expect(await storedEvent(a.eventId)).to.deep.equal(O.some(a));
      expect(await processingOf(a.eventId)).to.deep.include({ deliveries: 3, conflicts: 1 });
      const userIds = [earlier, a, b].map((event) => event.userId);
      const listed = await Promise.all(
        userIds.map(async (userId) => right(await store.list({ limit: 10, userId })()).events),
      );
      expect(listed, 'each id stored once').to.deep.equal([[earlier], [a], [b]]);
    });

    it('keeps the order of a batch as the processing order', async () => {
      const userId = `ordered-${Date.now()}-${Math.random()}` as UserId;
      const events = Array.from({ length: 50 }, () => aUserEvent({ userId }));
      await store.saveIfNew(delivered(...events))();
      expect(right(await store.list({ limit: 100, userId })()).events).to.deep.equal(events);
    });

    it('answers an empty batch with no outcomes', async () => {
      expect(right(await store.saveIfNew(delivered())())).to.deep.equal([]);
    });

    it('stores exactly one of 20 concurrent saves of one id', async () => {
      const event = aUserEvent();
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.saveIfNew(delivered({ ...event }))()),
      );
      expect(
        tally(
          results.map((result) => E.map(([outcome]: readonly SaveOutcome[]) => outcome!)(result)),
        ),
      ).to.deep.equal({
        errors: 0,
        stored: 1,
        duplicate: 19,
      });
      expect(await processingOf(event.eventId)).to.deep.include({ deliveries: 20, conflicts: 0 });
    });

    it('stores each id once when concurrent batches overlap', async () => {
      const events = Array.from({ length: 30 }, () => aUserEvent());
      const batches = Array.from({ length: 5 }, (_, n) => events.slice(n * 5, n * 5 + 10));
      const results = await Promise.all(
        batches.map((batch) => store.saveIfNew(delivered(...batch))()),
      );
      const stored = results.flatMap((result, n) =>
        right(result).flatMap((outcome, i) =>
          outcome === 'stored' ? [batches[n]![i]!.eventId] : [],
        ),
      );
      expect([...stored].sort()).to.deep.equal(events.map((event) => event.eventId).sort());
    });

    it('saves when the returned task runs, not when it is asked for', async () => {
      const event = aUserEvent();
      const save = store.saveIfNew(delivered(event));
      expect(right(await store.findById(event.eventId)())).to.deep.equal(O.none);
      expect(right(await save())).to.deep.equal(['stored']);
      expect(right(await save()), 'the same task run again').to.deep.equal(['duplicate']);
    });

    it('finds the stored ones among many ids in one lookup', async () => {
      const [a, b] = [aUserEvent(), aUserEvent()];
      await store.saveIfNew(delivered(a, b))();
      const found = right(await store.findByIds([a.eventId, aUserEvent().eventId, b.eventId])());
      expect(Object.fromEntries(found)).to.deep.equal({ [a.eventId]: a, [b.eventId]: b });
      expect(right(await store.findByIds([])()).size).to.equal(0);
    });

    it('finds nothing for an id it never stored', async () => {
      expect(right(await store.findById(aUserEvent().eventId)())).to.deep.equal(O.none);
    });

    it('pages through events in processing order with cursors', async () => {
      const userId = `pager-${Date.now()}-${Math.random()}` as UserId;
      const events = Array.from({ length: 5 }, () => aUserEvent({ userId }));
      for (const event of events) await store.saveIfNew(delivered(event))();
      const first = right(await store.list({ limit: 2, userId })());
      const second = right(await store.list({ limit: 2, userId, after: first.next })());
      const last = right(await store.list({ limit: 2, userId, after: second.next })());
      expect([...first.events, ...second.events, ...last.events]).to.deep.equal(events);
      expect(first.next).to.not.equal(undefined);
      expect(last.next).to.equal(undefined);
    });

    it('says there is no next page when a page ends exactly at the last event', async () => {
      const userId = `exact-${Date.now()}-${Math.random()}` as UserId;
      for (let i = 0; i < 2; i += 1) await store.saveIfNew(delivered(aUserEvent({ userId })))();
      expect(right(await store.list({ limit: 2, userId })()).next).to.equal(undefined);
    });

    it('answers at most `limit` events, from 1 up to the API maximum of 1000', async () => {
      const userId = `bounds-${Date.now()}-${Math.random()}` as UserId;
      const events = Array.from({ length: 3 }, () => aUserEvent({ userId }));
      for (const event of events) await store.saveIfNew(delivered(event))();
      const one = right(await store.list({ limit: 1, userId })());
      expect(one.events).to.deep.equal(events.slice(0, 1));
      expect(one.next).to.not.equal(undefined);
      const all = right(await store.list({ limit: 1000, userId })());
      expect(all.events).to.deep.equal(events);
      expect(all.next).to.equal(undefined);
    });

    it('filters by user and by event type', async () => {
      const userId = `filter-${Date.now()}-${Math.random()}` as UserId;
      const login = aUserEvent({ userId, eventType: 'LOGIN' });
      const logout = aUserEvent({ userId, eventType: 'LOGOUT' });
      for (const event of [login, aUserEvent({ eventType: 'LOGOUT' }), logout])
        await store.saveIfNew(delivered(event))();
      expect(right(await store.list({ limit: 10, userId })()).events).to.deep.equal([
        login,
        logout,
      ]);
      expect(
        right(await store.list({ limit: 10, userId, eventType: 'LOGOUT' as EventType })()).events,
      ).to.deep.equal([logout]);
    });

    // A store may hold back an event until every write that began before it is done (PostgreSQL
    // does, for a transaction anywhere in the cluster): a follower gets it soon, not at once.
    const followed = (query: FollowQuery, events: number) =>
      eventually(`${events} events followed`, async () => {
        const next = right(await store.follow(query)());
        return next.events.length >= events ? next : undefined;
      });

    it('follows from the end: only the events stored after it, in processing order, each with the cursor after it', async () => {
      const userId = `follower-${Date.now()}-${Math.random()}` as UserId;
      const end = right(await store.followingEnd()());
      const events = Array.from({ length: 3 }, () => aUserEvent({ userId }));
      for (const event of events) await store.saveIfNew(delivered(event))();
      const all = await followed({ after: end, limit: 1000, userId }, 3);
      expect(all.events.map((one) => one.event)).to.deep.equal(events);
      const fromFirst = await followed({ after: all.events[0]!.cursor, limit: 1000, userId }, 2);
      expect(fromFirst.events.map((one) => one.event)).to.deep.equal(events.slice(1));
      const fromLast = right(
        await store.follow({ after: all.events[2]!.cursor, limit: 1000, userId })(),
      );
      expect(fromLast.events).to.deep.equal([]);
    });

    it('follows past events that do not match, looking at no more than `limit` of them', async () => {
      const userId = `rare-${Date.now()}-${Math.random()}` as UserId;
      const end = right(await store.followingEnd()());
      for (let i = 0; i < 3; i += 1) await store.saveIfNew(delivered(aUserEvent()))();
      const wanted = aUserEvent({ userId, eventType: 'LOGOUT' as EventType });
      await store.saveIfNew(delivered(wanted))();
      const first = await eventually('two events looked at', async () => {
        const next = right(await store.follow({ after: end, limit: 2, userId })());
        return next.scannedTo === undefined ? undefined : next;
      });
      expect(first.events).to.deep.equal([]);
      const rest = await followed(
        { after: first.scannedTo, limit: 10, userId, eventType: 'LOGOUT' as EventType },
        1,
      );
      expect(rest.events.map((one) => one.event)).to.deep.equal([wanted]);
      expect(rest.scannedTo).to.deep.equal(rest.events[0]!.cursor);
    });

    it('follows from the first event stored without a cursor, up to the end', async () => {
      const event = aUserEvent();
      await store.saveIfNew(delivered(event))();
      const reached = await eventually('the event followed from the start', async () => {
        const seen: string[] = [];
        let after: FollowCursor | undefined;
        for (;;) {
          const next = right(await store.follow({ after, limit: 1000 })());
          if (next.scannedTo === undefined) break;
          seen.push(...next.events.map((one) => one.event.eventId));
          after = next.scannedTo;
        }
        return seen.includes(event.eventId) ? after : undefined;
      });
      expect(reached).to.deep.equal(right(await store.followingEnd()()));
    });

    it('records the latest setback of events and finds it; a report older than the recorded one changes nothing', async () => {
      const [a, b] = [aUserEvent(), aUserEvent()];
      const at = new Date('2026-11-29T10:00:00.000Z');
      const retrying = { kind: 'retrying', attempts: 2, error: 'connection refused', at } as const;
      const deadLettered = {
        kind: 'dead-lettered',
        reason: 'retries-exhausted',
        error: 'connection refused',
        at: new Date(at.getTime() + 1000),
        deadLetter: { partition: 2, offset: '9007199254740993' },
      } as const;
      right(await store.recordSetback([a.eventId, b.eventId], retrying)());
      expect(right(await store.findSetback(b.eventId)())).to.deep.equal(O.some(retrying));
      right(await store.recordSetback([a.eventId], deadLettered)());
      right(await store.recordSetback([a.eventId], retrying)());
      expect(right(await store.findSetback(a.eventId)())).to.deep.equal(O.some(deadLettered));
      expect(right(await store.findSetback(aUserEvent().eventId)())).to.deep.equal(O.none);
    });

    it('answers a ping', async () => {
      expect(isRight(await store.ping()())).to.equal(true);
    });

    if (makeBounded !== undefined) {
      it('keeps only its bound of events, evicting the oldest first', async () => {
        const { store: bounded } = await makeBounded();
        const events = Array.from({ length: 10 }, () => aUserEvent());
        for (const event of events) await bounded.saveIfNew(delivered(event))();
        expect(right(await bounded.list({ limit: 10 })()).events).to.deep.equal(events.slice(7));
        expect(right(await bounded.findById(events[0]!.eventId as EventId)())).to.deep.equal(
          O.none,
        );
      });
    }
  });
}
