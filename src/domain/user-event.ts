import * as t from 'io-ts';
import { EventId, EventType, Payload, Timestamp, UserId } from './event-fields';

/**
 * One user activity event as it travels through Kafka, the store and `GET /events/processed`
 * (the seed's shape). Decoding strips unknown keys: a newer producer may add fields without its
 * records being treated as poison.
 */
export const UserEvent = t.exact(
  t.type({
    eventId: EventId,
    userId: UserId,
    eventType: EventType,
    timestamp: Timestamp,
    payload: Payload,
  }),
  'UserEvent',
);
export type UserEvent = t.TypeOf<typeof UserEvent>;
