import { randomUUID } from 'node:crypto';
import type { UserEvent } from '../../src/domain/user-event';
import type { EventId, EventType, Timestamp, UserId } from '../../src/domain/event-fields';
import type { DeliveredEvent } from '../../src/application/processed-event-store.port';

let sequence = 0;

/** A valid event, unique unless told otherwise. */
export function aUserEvent(overrides: Partial<Record<keyof UserEvent, unknown>> = {}): UserEvent {
  sequence += 1;
  return {
    eventId: randomUUID() as EventId,
    userId: `user-${sequence}` as UserId,
    eventType: 'LOGIN' as EventType,
    timestamp: new Date(
      Date.UTC(2023, 9, 27, 10, 0, 0, sequence % 1000),
    ).toISOString() as Timestamp,
    payload: { ip: '127.0.0.1' },
    ...overrides,
  } as UserEvent;
}

/** Events as a bus without positions (the in-memory one) delivers them. */
export const delivered = (...events: UserEvent[]): DeliveredEvent[] =>
  events.map((event) => ({ event }));

/** The seed's example request body. */
export const seedLoginBody = (userId = 'user123') => ({
  userId,
  eventType: 'LOGIN',
  payload: { ip: '127.0.0.1' },
});
