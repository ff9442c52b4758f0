import type { DeadLetterReason } from './dead-letter-publisher.port';
import type { SettledOutcome } from './process-event';
import { portToken } from './port-token';

export interface AnsweredRequest {
  readonly method: string;
  /** The route template (`/events/processed/:eventId`), never the raw path: bounded cardinality. */
  readonly route: string;
  readonly status: number;
  readonly seconds: number;
}

/** Why a live stream ended: its client left, fell too far behind, or the service is stopping. */
export type StreamEnding = 'client' | 'behind' | 'closing';

/** How far one partition's committed offset is behind its end. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  readonly lag: number;
}

/**
 * What the adapters count for the people who run the service (SPEC section 6). A port of the
 * edges: the adapters report through it, the use cases know nothing of it (ADR 0008). Calls
 * never fail and never block.
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
  /** Live streams (GET /events/stream) holding a connection, right now. */
  streamsOpen(count: number): void;
  /** A live stream sent its last event, for `ending`. */
  streamEnded(ending: StreamEnding): void;
  /**
   * Exposes the consumer group's lag, read from `read` each time the metrics are rendered, so
   * a stalled consumer shows a growing lag; `read` resolves empty when it cannot tell.
   */
  measureLag(read: () => Promise<readonly PartitionLag[]>): void;
  /** Renders every metric in a scraper's format (Prometheus text), for GET /metrics. */
  exposition(): Promise<{ readonly contentType: string; readonly text: string }>;
}

export const SERVICE_METRICS = portToken<ServiceMetrics>('ServiceMetrics');
