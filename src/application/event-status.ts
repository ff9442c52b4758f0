import type { EventId } from '../domain/event-fields';
import type { ProcessedEvent, Setback } from './processed-event-store.port';
import type { DeadLetterReason } from './dead-letter-publisher.port';
import type { RecordLocation } from './record-location';
import type { PublishedEvent } from './published-events.port';

/** Acknowledged by the bus, not processed yet, as the instance that published it knows. */
export interface PublishedStatus {
  readonly status: 'published';
  readonly eventId: EventId;
  readonly location: RecordLocation;
  readonly publishedAt: Date;
}

/** Processed: stored once, with where it was read from and how many copies arrived. */
export interface ProcessedStatus {
  readonly status: 'processed';
  readonly eventId: EventId;
  readonly location?: RecordLocation | undefined;
  readonly processedAt: Date;
  /** From the event's timestamp (set when it was accepted) until it was processed. */
  readonly latencyMs: number;
  readonly deliveries: number;
}

/**
 * Processed, and since then one or more copies with the same id but other content arrived; the
 * first stays the processed one.
 */
export interface ConflictingStatus extends Omit<ProcessedStatus, 'status'> {
  readonly status: 'conflicting';
  readonly conflicts: number;
  readonly lastConflictAt: Date;
}

/** Not processed: its save failed and is being tried again. */
export interface RetryingStatus {
  readonly status: 'retrying';
  readonly eventId: EventId;
  readonly attempts: number;
  readonly error: string;
  readonly lastAttemptAt: Date;
}

/** Given up on and set aside in the dead-letter topic, where `deadLetter` says. */
export interface DeadLetteredStatus {
  readonly status: 'dead-lettered';
  readonly eventId: EventId;
  readonly reason: DeadLetterReason;
  readonly error: string;
  readonly deadLetteredAt: Date;
  readonly deadLetter: RecordLocation;
}

/** Where one event stands, as far as this service knows. */
export type EventStatus =
  PublishedStatus | ProcessedStatus | ConflictingStatus | RetryingStatus | DeadLetteredStatus;

/** The status of an event held back, from its latest setback. */
export const statusOfSetback = (eventId: EventId, setback: Setback): EventStatus =>
  setback.kind === 'retrying'
    ? {
        status: 'retrying',
        eventId,
        attempts: setback.attempts,
        error: setback.error,
        lastAttemptAt: setback.at,
      }
    : {
        status: 'dead-lettered',
        eventId,
        reason: setback.reason,
        error: setback.error,
        deadLetteredAt: setback.at,
        deadLetter: setback.deadLetter,
      };

/** The later of two setbacks of one event, either of which may be unknown. */
export const latestSetback = (
  a: Setback | undefined,
  b: Setback | undefined,
): Setback | undefined => (a === undefined || (b !== undefined && b.at > a.at) ? b : a);

/** The status of an event this instance published and nobody processed yet. */
export const statusOfPublished = ({
  eventId,
  location,
  publishedAt,
}: PublishedEvent): PublishedStatus => ({ status: 'published', eventId, location, publishedAt });

/** The status a stored event's processing facts give it. */
export function statusOfProcessed({
  event,
  location,
  processedAt,
  deliveries,
  conflicts,
  lastConflictAt,
}: ProcessedEvent): EventStatus {
  const processed: ProcessedStatus = {
    status: 'processed',
    eventId: event.eventId,
    location,
    processedAt,
    latencyMs: Math.max(0, processedAt.getTime() - Date.parse(event.timestamp)),
    deliveries,
  };
  return conflicts > 0 && lastConflictAt !== undefined
    ? { ...processed, status: 'conflicting', conflicts, lastConflictAt }
    : processed;
}
