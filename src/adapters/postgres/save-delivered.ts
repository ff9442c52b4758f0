import type { DeliveredEvent, SaveOutcome } from '../../application/processed-event-store.port';
import type { Sql } from './sql';

// A later copy conflicts when it says something else than the stored one (domain: sameContent).
const CONFLICTING = `(processed_events.user_id <> EXCLUDED.user_id
      OR processed_events.event_type <> EXCLUDED.event_type
      OR NOT same_json(processed_events.payload, EXCLUDED.payload))`;

// One statement per batch, whatever its size: seven array parameters rather than seven per row,
// so the protocol's limit of 65,535 parameters never applies. Rows are inserted in the batch's
// order (ORDER BY its ordinality), which is the order of their positions. The primary key on
// event_id makes the database decide, atomically, which of several concurrent copies is first;
// each later copy updates the stored row's counts instead, in the same statement, and only then
// is its content compared: a first copy costs nothing more than its insert. Every row comes
// back: deliveries 1 means this statement inserted it.
const SAVE_DELIVERED = `INSERT INTO processed_events
    (event_id, user_id, event_type, event_timestamp, payload, kafka_partition, kafka_offset)
  SELECT event_id, user_id, event_type, event_timestamp, payload, kafka_partition, kafka_offset
  FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::json[], $6::int[], $7::bigint[])
    WITH ORDINALITY AS batch
      (event_id, user_id, event_type, event_timestamp, payload, kafka_partition, kafka_offset, n)
  ORDER BY n
  ON CONFLICT (event_id) DO UPDATE SET
    deliveries = processed_events.deliveries + 1,
    last_copy_conflicted = ${CONFLICTING},
    conflicts = processed_events.conflicts + CASE WHEN ${CONFLICTING} THEN 1 ELSE 0 END,
    last_conflict_at = CASE WHEN ${CONFLICTING} THEN now() ELSE processed_events.last_conflict_at END
  RETURNING event_id, deliveries, last_copy_conflicted`;

/**
 * The statement that stores each event unless its id is stored already, and otherwise counts it
 * as a delivery, and maybe a conflict, of the stored one. The ids must be distinct: a statement
 * cannot update one row twice.
 */
export function saveDelivered(delivered: readonly DeliveredEvent[]): Sql {
  return {
    text: SAVE_DELIVERED,
    values: [
      delivered.map(({ event }) => event.eventId),
      delivered.map(({ event }) => event.userId),
      delivered.map(({ event }) => event.eventType),
      delivered.map(({ event }) => event.timestamp),
      delivered.map(({ event }) => JSON.stringify(event.payload)),
      delivered.map(({ location }) => location?.partition ?? null),
      delivered.map(({ location }) => location?.offset ?? null),
    ],
  };
}

/** What the statement returns for each row it inserted or updated. */
export interface SavedRow {
  readonly event_id: string;
  readonly deliveries: number;
  readonly last_copy_conflicted: boolean;
}

/** One outcome per event, in order, from the rows the statement returned. */
export function outcomesOf(
  delivered: readonly DeliveredEvent[],
  rows: readonly SavedRow[],
): SaveOutcome[] {
  const byId = new Map(rows.map((row) => [row.event_id, row]));
  return delivered.map(({ event }): SaveOutcome => {
    const row = byId.get(event.eventId);
    if (row === undefined) throw new Error(`no row came back for ${event.eventId}`);
    if (row.deliveries === 1) return 'stored';
    return row.last_copy_conflicted ? 'conflict' : 'duplicate';
  });
}

/** Whether an id comes twice: then the events must be saved one statement each. */
export const repeatsAnId = (delivered: readonly DeliveredEvent[]): boolean =>
  new Set(delivered.map(({ event }) => event.eventId)).size < delivered.length;
