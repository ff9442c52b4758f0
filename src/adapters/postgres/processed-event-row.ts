import { isLeft } from 'fp-ts/Either';
import type {
  ProcessedEvent,
  ProcessingPosition,
} from '../../application/processed-event-store.port';
import { UserEvent } from '../../domain/user-event';
import { toValidationIssues } from '../../domain/validation-issue';

export type Row = Readonly<Record<string, unknown>>;

export const EVENT_COLUMNS = 'event_id, user_id, event_type, event_timestamp, payload, position';

/** The event's columns and what its processing left. */
export const PROCESSED_EVENT_COLUMNS = `${EVENT_COLUMNS}, kafka_partition, kafka_offset, processed_at, deliveries, conflicts, last_conflict_at`;

export interface StoredEvent {
  readonly event: UserEvent;
  readonly position: ProcessingPosition;
}

/** A stored row that does not decode means the data or this code is wrong: a bug, not a retry. */
export class UndecodableRow extends Error {
  override readonly name = 'UndecodableRow';
}

/** Decodes a row with the same `UserEvent` codec as every other edge of the service. */
export function decodeRow(row: Row): StoredEvent {
  const decoded = UserEvent.decode({
    eventId: row.event_id,
    userId: row.user_id,
    eventType: row.event_type,
    timestamp: row.event_timestamp,
    payload: row.payload,
  });
  if (isLeft(decoded)) {
    const issues = toValidationIssues(decoded.left).map((i) => `${i.path} ${i.message}`);
    throw new UndecodableRow(`stored event ${String(row.event_id)}: ${issues.join('; ')}`);
  }
  return { event: decoded.right, position: decodePosition(row) };
}

/** A row's position, checked as every stored event's is. */
export function decodePosition(row: Row): ProcessingPosition {
  // bigint comes back as text; positions stay far below 2^53 (the cursor allows 15 digits).
  const position = Number(row.position);
  if (!Number.isSafeInteger(position) || position < 1) {
    throw new UndecodableRow(`stored event ${String(row.event_id)}: position out of range`);
  }
  return position;
}

/** A row of PROCESSED_EVENT_COLUMNS: the event and what its processing left. */
export function decodeProcessedRow(row: Row): ProcessedEvent {
  const { event } = decodeRow(row);
  const { kafka_partition: partition, kafka_offset: offset } = row;
  return {
    event,
    location:
      typeof partition === 'number' && typeof offset === 'string'
        ? { partition, offset }
        : undefined,
    processedAt: row.processed_at as Date,
    deliveries: Number(row.deliveries),
    conflicts: Number(row.conflicts),
    lastConflictAt: (row.last_conflict_at as Date | null) ?? undefined,
  };
}
