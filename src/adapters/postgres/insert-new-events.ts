import type { SaveOutcome } from '../../application/processed-event-store.port';
import type { UserEvent } from '../../domain/user-event';
import type { Sql } from './page-query';

// One statement per batch, whatever its size: five array parameters rather than five per row, so
// the protocol's limit of 65,535 parameters never applies. Rows are inserted in the batch's order
// (ORDER BY its ordinality), which is the order of their positions. The primary key on event_id
// makes the database decide, atomically, which of several concurrent copies is first; the others
// insert nothing and are duplicates.
const INSERT_NEW = `INSERT INTO processed_events (event_id, user_id, event_type, event_timestamp, payload)
  SELECT event_id, user_id, event_type, event_timestamp, payload
  FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::json[])
    WITH ORDINALITY AS batch (event_id, user_id, event_type, event_timestamp, payload, n)
  ORDER BY n
  ON CONFLICT (event_id) DO NOTHING
  RETURNING event_id`;

/** The statement that stores the first copy of each id in `events` unless it is stored already. */
export function insertNewEvents(events: readonly UserEvent[]): Sql {
  const firsts = firstCopies(events);
  return {
    text: INSERT_NEW,
    values: [
      firsts.map((event) => event.eventId),
      firsts.map((event) => event.userId),
      firsts.map((event) => event.eventType),
      firsts.map((event) => event.timestamp),
      firsts.map((event) => JSON.stringify(event.payload)),
    ],
  };
}

/** One outcome per event, in order, from the ids the statement inserted. */
export function outcomesOf(
  events: readonly UserEvent[],
  inserted: ReadonlySet<string>,
): SaveOutcome[] {
  const seen = new Set<string>();
  return events.map((event) => {
    const first = !seen.has(event.eventId);
    seen.add(event.eventId);
    return first && inserted.has(event.eventId) ? 'stored' : 'duplicate';
  });
}

// A second copy inside one statement would conflict with the first: only first copies are sent.
const firstCopies = (events: readonly UserEvent[]): UserEvent[] => {
  const seen = new Set<string>();
  return events.filter((event) => !seen.has(event.eventId) && seen.add(event.eventId));
};
