import { expect } from 'chai';
import { PostgresProcessedEventStore } from '../../src/adapters/postgres/postgres-processed-event-store';
import type { UserId } from '../../src/domain/event-fields';
import { aUserEvent, delivered } from '../support/builders';
import { eventually } from '../support/eventually';
import { suiteDatabase } from '../support/migrated-database';
import { right } from '../support/right';

describe('followers of the PostgreSQL store, with two writers at once', () => {
  const database = suiteDatabase('followers');

  // Positions come from an identity column: a write that took its position first can commit
  // last. A follower that was handed the later row's cursor first would never get this one.
  it('are never handed a cursor ahead of an event still being written', async () => {
    const store = new PostgresProcessedEventStore(database());
    const userId = `writers-${Date.now()}` as UserId;
    const [slow, quick] = [aUserEvent({ userId }), aUserEvent({ userId })];
    const end = right(await store.followingEnd()());
    const slowWriter = await database().pool.connect();
    try {
      await slowWriter.query('BEGIN');
      await slowWriter.query(
        `INSERT INTO processed_events (event_id, user_id, event_type, event_timestamp, payload)
         VALUES ($1, $2, $3, $4, $5)`,
        [slow.eventId, slow.userId, slow.eventType, slow.timestamp, JSON.stringify(slow.payload)],
      );
      expect(right(await store.saveIfNew(delivered(quick))())).to.deep.equal(['stored']);
      // Committed, with the larger position, and visible to a page query: not yet to followers.
      expect(
        right(await store.list({ limit: 10, userId })()).events.map((one) => one.eventId),
      ).to.deep.equal([quick.eventId]);
      expect(right(await store.follow({ after: end, limit: 10, userId })()).events).to.deep.equal(
        [],
      );
      await slowWriter.query('COMMIT');
    } finally {
      slowWriter.release();
    }
    const followed = await eventually('both writes followed', async () => {
      const next = right(await store.follow({ after: end, limit: 10, userId })());
      return next.events.length >= 2 ? next.events : undefined;
    });
    // The slow write's transaction began first, so it comes first.
    expect(followed.map((one) => one.event.eventId)).to.deep.equal([slow.eventId, quick.eventId]);
    const past = right(await store.follow({ after: followed[1]!.cursor, limit: 10, userId })());
    expect(past.events).to.deep.equal([]);
  });
});
