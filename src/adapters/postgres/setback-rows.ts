import type { EventId } from '../../domain/event-fields';
import type { DeadLetterReason } from '../../application/dead-letter-publisher.port';
import type { Setback } from '../../application/processed-event-store.port';
import type { Sql } from './sql';
import { UndecodableRow, type Row } from './processed-event-row';

// A setback recorded later wins; one reported out of order (writes are not awaited in turn) is
// left out.
const RECORD = `INSERT INTO event_setbacks
    (event_id, kind, attempts, reason, error, at, dead_letter_partition, dead_letter_offset)
  SELECT event_id, $2, $3, $4, $5, $6, $7, $8 FROM unnest($1::uuid[]) AS event_id
  ON CONFLICT (event_id) DO UPDATE SET
    kind = EXCLUDED.kind, attempts = EXCLUDED.attempts, reason = EXCLUDED.reason,
    error = EXCLUDED.error, at = EXCLUDED.at,
    dead_letter_partition = EXCLUDED.dead_letter_partition,
    dead_letter_offset = EXCLUDED.dead_letter_offset
  WHERE event_setbacks.at <= EXCLUDED.at`;

export const FIND_SETBACK = `SELECT kind, attempts, reason, error, at, dead_letter_partition, dead_letter_offset
  FROM event_setbacks WHERE event_id = $1`;

export function upsertSetback(eventIds: readonly EventId[], setback: Setback): Sql {
  const retrying = setback.kind === 'retrying';
  return {
    text: RECORD,
    values: [
      eventIds,
      setback.kind,
      retrying ? setback.attempts : null,
      retrying ? null : setback.reason,
      setback.error,
      setback.at,
      retrying ? null : setback.deadLetter.partition,
      retrying ? null : setback.deadLetter.offset,
    ],
  };
}

export function decodeSetback(row: Row): Setback {
  const { kind, error, at } = row;
  if (typeof error !== 'string' || !(at instanceof Date))
    throw new UndecodableRow(`setback of kind ${String(kind)}: no error or time`);
  if (kind === 'retrying') return { kind, attempts: Number(row.attempts), error, at };
  const { dead_letter_partition: partition, dead_letter_offset: offset } = row;
  if (kind !== 'dead-lettered' || typeof partition !== 'number' || typeof offset !== 'string')
    throw new UndecodableRow(`setback of kind ${String(kind)}: no dead letter`);
  return {
    kind,
    reason: row.reason as DeadLetterReason,
    error,
    at,
    deadLetter: { partition, offset },
  };
}
