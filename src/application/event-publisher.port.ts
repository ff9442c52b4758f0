import type { TaskEither } from 'fp-ts/TaskEither';
import type { UserEvent } from '../domain/user-event';
import { portToken } from './port-token';
import type { RecordLocation } from './record-location';

/**
 * Why events could not be published. Unavailable or timed out: some of them may already have
 * been written. Overloaded: none was, because too many events were already waiting for the bus.
 */
export type PublishFailure =
  | { readonly _tag: 'BrokerUnavailable'; readonly detail: string }
  | { readonly _tag: 'PublishTimedOut'; readonly afterMs: number }
  | { readonly _tag: 'Overloaded'; readonly maxPendingEvents: number };

export interface PublishContext {
  /** Correlates the request that submitted the events with their processing. */
  readonly requestId: string;
}

/** Hands events to the bus that delivers them to processing. */
export interface EventPublisher {
  /**
   * Publishes `events` in one write. Resolves Right only once the bus has durably accepted every
   * one of them (for Kafka: acknowledged by all in-sync replicas), never earlier, with where each
   * one's record is, in the same order. Events of one user keep their relative order. A Left
   * means the outcome is unknown: republishing the same events is safe because processing is
   * idempotent by `eventId`. Safe to call concurrently.
   */
  publish(
    events: readonly UserEvent[],
    context: PublishContext,
  ): TaskEither<PublishFailure, readonly RecordLocation[]>;
}

export const EVENT_PUBLISHER = portToken<EventPublisher>('EventPublisher');
