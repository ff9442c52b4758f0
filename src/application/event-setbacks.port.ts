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
  report(eventIds: readonly EventId[], setback: ReportedSetback): void;
  /** These events settled (processed, or found stored): what held them back is over. */
  settled(eventIds: readonly EventId[]): void;
  /** This instance's latest report of an event still held back. */
  find(eventId: EventId): Setback | undefined;
}

export const EVENT_SETBACKS = portToken<EventSetbacks>('EventSetbacks');
