import type { EventId } from '../domain/event-fields';
import type { Setback } from './processed-event-store.port';
import { portToken } from './port-token';

type WithoutTime<T> = T extends unknown ? Omit<T, 'at'> : never;

/** A setback as a bus reports it; the time is added where it is kept. */
export type ReportedSetback = WithoutTime<Setback>;

/**
 * Where the buses report what holds events back, for their status: a save being retried, a
 * record dead-lettered. This instance keeps its own latest reports (bounded), so it answers for
 * them even while the store fails, which is when saves are retried; each report also goes to the
 * store, as far as the store takes it, for every instance to answer with. Never fails, never
 * blocks the delivery that reports.
 */
export interface EventSetbacks {
  /**
   * Reports a setback of each of these events, stamped with the current time, never earlier than
   * this instance's report before it (the clock may step back): what their status shows from
   * then on, this instance's find or the store's latest setback, whichever is later, until a
   * later report replaces it. Returns at once, whether the store takes it or fails.
   */
  report(eventIds: readonly EventId[], setback: ReportedSetback): void;
  /**
   * These events settled (processed, or found stored): what held them back is over, and this
   * instance's `find` answers undefined for them. The store keeps its record: the status of a
   * stored event comes from the store's processing facts first.
   */
  settled(eventIds: readonly EventId[]): void;
  /**
   * This instance's latest report of an event still held back, if it keeps one: an instance
   * whose store lives in its own memory, and never fails, leaves them all to the store, and so
   * answers undefined. Bounded: the oldest reports are forgotten first.
   */
  find(eventId: EventId): Setback | undefined;
}

export const EVENT_SETBACKS = portToken<EventSetbacks>('EventSetbacks');
