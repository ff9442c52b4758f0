import type { EventId } from '../domain/event-fields';
import { portToken } from './port-token';
import type { RecordLocation } from './record-location';

/** An event the bus acknowledged, where and when. */
export interface PublishedEvent {
  readonly eventId: EventId;
  readonly location: RecordLocation;
  readonly publishedAt: Date;
}

/**
 * What this instance published lately, for the `published` status of events not processed yet.
 * Known only to the instance that published them, and bounded: the oldest are forgotten first,
 * and those this instance processed as soon as it has. In memory by nature, so its methods
 * answer at once and never fail.
 */
export interface PublishedEvents {
  /**
   * Keeps these events as the newest, in the order given: one remembered again replaces what was
   * known of it and counts as new. Past the bound the oldest are forgotten first; a bound of 0
   * keeps nothing.
   */
  remember(published: readonly PublishedEvent[]): void;
  /** What was last remembered of this event, unless it was forgotten since; else undefined. */
  find(eventId: EventId): PublishedEvent | undefined;
  /**
   * Forgets these events, if it knew them: `find` answers undefined for them from then on. An id
   * it does not know is no error and changes nothing; every other event stays known.
   */
  forget(eventIds: readonly EventId[]): void;
}

export const PUBLISHED_EVENTS = portToken<PublishedEvents>('PublishedEvents');
