import type { DeadLetterReason } from '../../application/dead-letter-publisher.port';
import type { SettledOutcome } from '../../application/process-event';

export interface AnsweredRequest {
  readonly method: string;
  /** The route template (`/events/processed/:eventId`), never the raw path: bounded cardinality. */
  readonly route: string;
  readonly status: number;
  readonly seconds: number;
}

/**
 * What the adapters count for the people who run the service (SPEC section 6). Metrics stay at
 * the edges: the core knows nothing of them. Calls never fail and never block.
 */
export interface ServiceMetrics {
  requestAnswered(request: AnsweredRequest): void;
  /** Events the bus acknowledged (201 answers count all the events they carried). */
  eventsPublished(count: number): void;
  /** An event delivered and settled; `latencySeconds` runs from its timestamp to now. */
  eventSettled(outcome: SettledOutcome, latencySeconds: number): void;
  eventDeadLettered(reason: DeadLetterReason): void;
  /** Records whose dead letter could not be written yet and is being retried, right now. */
  deadLettersWaiting(count: number): void;
}

/** How far one partition's committed offset is behind its end. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  readonly lag: number;
}

/** Seconds from an event's ISO timestamp until now; 0 for a timestamp in the future. */
export const secondsSince = (timestamp: string, now = Date.now()): number =>
  Math.max(0, (now - Date.parse(timestamp)) / 1000);
