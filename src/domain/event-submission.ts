import * as t from 'io-ts';
import { EventId, EventType, Payload, UserId } from './event-fields';
import { optional, withRule } from './codec-combinators';
import { withoutExcessKeys } from './without-excess-keys';

/** What a client asks to record; the server adds the timestamp and, unless given, the id. */
export interface EventSubmission {
  readonly userId: UserId;
  readonly eventType: EventType;
  readonly payload: Payload;
  readonly eventId: EventId | undefined;
}

/** Which event types are accepted: any well-formed name, or only the listed ones. */
export type EventTypePolicy =
  { readonly kind: 'any' } | { readonly kind: 'only'; readonly types: ReadonlySet<string> };

const allowedEventType = (policy: EventTypePolicy): t.Type<EventType, string, unknown> =>
  policy.kind === 'any'
    ? EventType
    : withRule<EventType, EventType, string>('EventType', EventType, (value) =>
        policy.types.has(value) ? undefined : `must be one of ${[...policy.types].join(', ')}`,
      );

// A missing or null payload means "no details", which is an empty object.
const PayloadOrEmpty = new t.Type<Payload, Payload, unknown>(
  'Payload',
  Payload.is,
  (input, context) =>
    input === undefined || input === null ? t.success({}) : Payload.validate(input, context),
  Payload.encode,
);

// Clients may write a UUID in either case: one event must still have one id.
const ClientEventId = new t.Type<EventId, string, unknown>(
  'EventId',
  EventId.is,
  (input, context) =>
    EventId.validate(typeof input === 'string' ? input.toLowerCase() : input, context),
  EventId.encode,
);

export const eventSubmissionCodec = (
  policy: EventTypePolicy,
): t.Type<EventSubmission, unknown, unknown> =>
  withoutExcessKeys(
    t.type({
      userId: UserId,
      eventType: allowedEventType(policy),
      payload: PayloadOrEmpty,
      eventId: optional(ClientEventId),
    }),
    ['userId', 'eventType', 'payload', 'eventId'],
  );
