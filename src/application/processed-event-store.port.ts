import type { TaskEither } from 'fp-ts/TaskEither';
import type { Option } from 'fp-ts/Option';
import type { EventId, EventType, UserId } from '../domain/event-fields';
import type { UserEvent } from '../domain/user-event';
import { portToken } from './port-token';
import type { RecordLocation } from './record-location';
import type { DeadLetterReason } from './dead-letter-publisher.port';

/** The store could not be reached or answered with an error; trying again later may succeed. */
export interface StoreUnavailable {
  readonly _tag: 'StoreUnavailable';
  readonly detail: string;
}

/**
 * The store refused this event for good: a value it cannot hold, a constraint it breaks. Storing
 * it again would fail again, so it must be set aside, never retried.
 */
export interface RejectedByStore {
  readonly rejected: string;
}

/**
 * `stored` for the first copy of an id; `duplicate` for a later copy with the same content;
 * `conflict` for a later copy whose content (userId, eventType or payload) differs from the
 * stored one, which stays as it is.
 */
export type SaveOutcome = 'stored' | 'duplicate' | 'conflict' | RejectedByStore;

/** An event as its bus delivered it to processing. */
export interface DeliveredEvent {
  readonly event: UserEvent;
  /** The record it was read from; absent where nothing tells (rows stored before it was kept). */
  readonly location?: RecordLocation | undefined;
}

/**
 * Why an event is not processed, as last reported: its save is being retried, or it was given up
 * on and set aside in the dead-letter topic.
 */
export type Setback =
  | {
      readonly kind: 'retrying';
      /** Attempts failed so far. */
      readonly attempts: number;
      readonly error: string;
      readonly at: Date;
    }
  | {
      readonly kind: 'dead-lettered';
      readonly reason: DeadLetterReason;
      readonly error: string;
      readonly at: Date;
      /** Where the dead letter is: what `npm run dlq -- replay` is given. */
      readonly deadLetter: RecordLocation;
    };

/** A stored event and what its processing left: its status, seen from the store. */
export interface ProcessedEvent {
  readonly event: UserEvent;
  /** Where the stored (first) copy was read from. */
  readonly location?: RecordLocation | undefined;
  readonly processedAt: Date;
  /** Copies of this id delivered so far: 1 plus the duplicates and conflicts seen. */
  readonly deliveries: number;
  /** Copies that came with other content than the stored one, and when the last of them came. */
  readonly conflicts: number;
  readonly lastConflictAt?: Date | undefined;
}

/** Where a stored event stands in processing order; larger means processed later. */
export type ProcessingPosition = number;

export interface ProcessedEventQuery {
  /** At most this many events, 1 or more. */
  readonly limit: number;
  /** Only events processed after this position (the `next` of the previous page). */
  readonly after?: ProcessingPosition | undefined;
  readonly userId?: UserId | undefined;
  readonly eventType?: EventType | undefined;
}

export interface ProcessedEventPage {
  /** Matching events in the order they were processed. */
  readonly events: readonly UserEvent[];
  /** Present only when more matching events exist: pass it as `after` to get them. */
  readonly next?: ProcessingPosition | undefined;
}

/**
 * Where a follower of the processed events stands: just after the last event it was given. A
 * store whose events become visible out of position order (concurrent writers) follows them in
 * `group` order first, so that none shows up behind a follower that has passed it; a store that
 * makes them visible in position order keeps every event in group "0".
 */
export interface FollowCursor {
  /** A decimal number, compared as one, never parsed by anything but the store. */
  readonly group: string;
  readonly position: ProcessingPosition;
}

export interface FollowQuery {
  /** Only events after this cursor; absent: from the first event stored. */
  readonly after?: FollowCursor | undefined;
  /** At most this many events. */
  readonly limit: number;
  readonly userId?: UserId | undefined;
  readonly eventType?: EventType | undefined;
}

export interface FollowedEvent {
  readonly event: UserEvent;
  /** Following from here gets the events after this one. */
  readonly cursor: FollowCursor;
}

export interface FollowedEvents {
  /** Matching events after the query's cursor, in the order a follower gets them. */
  readonly events: readonly FollowedEvent[];
  /**
   * The cursor after every event the store looked at, matching or not (at least the last
   * event's): the next query starts there, so that a filter that matches little costs no rescan.
   */
  readonly scannedTo: FollowCursor | undefined;
}

/**
 * Events that have been processed, each once. Every method only describes its work: nothing
 * happens until the returned task runs, and running a task again does the work again, which is
 * how a failed save is retried.
 */
export interface ProcessedEventStore {
  /**
   * Stores each delivered event whose `eventId` is not stored yet, in the order given, and
   * answers one outcome per event, in the same order: `stored` for the first copy of an id,
   * `duplicate` or `conflict` (by content) for an id stored before (by this call, an earlier one
   * or a concurrent one), `rejected` (with the store's reason) for an event the store refuses for
   * good, which takes nothing from the others. Every copy counts towards the stored event's
   * deliveries, and a conflicting one towards its conflicts, in the same write. Atomic per id: of
   * any number of concurrent calls carrying one id, exactly one stores it. An event evicted from
   * a bounded store counts as new again. Left is a transient failure, and means nothing may be
   * assumed stored: retry them all.
   */
  saveIfNew(
    delivered: readonly DeliveredEvent[],
  ): TaskEither<StoreUnavailable, readonly SaveOutcome[]>;
  /** The stored event with this id and what its processing left, if any. */
  findById(eventId: EventId): TaskEither<StoreUnavailable, Option<ProcessedEvent>>;
  /** Those of these events that are stored, by id, in one lookup. */
  findByIds(
    eventIds: readonly EventId[],
  ): TaskEither<StoreUnavailable, ReadonlyMap<EventId, UserEvent>>;
  /**
   * Records a setback of each of these events, for every instance to answer with, unless a later
   * one is recorded already. Rare, so a write of its own.
   */
  recordSetback(eventIds: readonly EventId[], setback: Setback): TaskEither<StoreUnavailable, void>;
  /** The latest setback recorded for this event, if any (processed events may have one too). */
  findSetback(eventId: EventId): TaskEither<StoreUnavailable, Option<Setback>>;
  /** One page of stored events matching the query, in processing order. */
  list(query: ProcessedEventQuery): TaskEither<StoreUnavailable, ProcessedEventPage>;
  /**
   * The next events a follower gets after the query's cursor: each event once, and none ever
   * behind a cursor already handed out (an event that becomes visible later comes after it), so
   * that following from any event's cursor, on any instance, misses nothing and repeats nothing.
   * Looks at a bounded number of events per call.
   */
  follow(query: FollowQuery): TaskEither<StoreUnavailable, FollowedEvents>;
  /** The cursor after every event visible now: following from it gets only later events. */
  followingEnd(): TaskEither<StoreUnavailable, FollowCursor>;
  /** Resolves Right when the store answers requests; used by readiness. */
  ping(): TaskEither<StoreUnavailable, void>;
}

export const PROCESSED_EVENT_STORE = portToken<ProcessedEventStore>('ProcessedEventStore');
