import * as t from 'io-ts';
import { withRule, text } from './codec-combinators';
import { textProblem } from './text-rules';
import { nestsDeeperThan } from './json-depth';

export const USER_ID_MAX_LENGTH = 256;
export const EVENT_TYPE_MAX_LENGTH = 64;
export const PAYLOAD_MAX_DEPTH = 32;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EVENT_TYPE_NAME = /^[A-Za-z][A-Za-z0-9_.:-]*$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export interface EventIdBrand {
  readonly EventId: unique symbol;
}
/** A lower-case UUID that names one event for its whole life: the key of idempotency. */
export type EventId = t.Branded<string, EventIdBrand>;
export const EventId = withRule<EventId, string>('EventId', text, (value) =>
  UUID.test(value)
    ? undefined
    : 'must be a lower-case UUID such as 6f1c2e4a-9b3d-4c1e-8f2a-1b2c3d4e5f60',
);

export interface UserIdBrand {
  readonly UserId: unique symbol;
}
export type UserId = t.Branded<string, UserIdBrand>;
export const UserId = withRule<UserId, string>('UserId', text, (value) =>
  textProblem(value, USER_ID_MAX_LENGTH),
);

export interface EventTypeBrand {
  readonly EventType: unique symbol;
}
/** What happened, such as `LOGIN` or `PRODUCT_VIEW`. */
export type EventType = t.Branded<string, EventTypeBrand>;
export const EventType = withRule<EventType, string>('EventType', text, (value) => {
  if (value.length === 0) return 'must not be empty';
  if (value.length > EVENT_TYPE_MAX_LENGTH)
    return `must be at most ${EVENT_TYPE_MAX_LENGTH} characters`;
  if (!EVENT_TYPE_NAME.test(value)) {
    return 'must start with a letter and contain only letters, digits, _ . : or -';
  }
  return undefined;
});

export interface TimestampBrand {
  readonly Timestamp: unique symbol;
}
/** An ISO 8601 instant with a zone, as written by `Date.prototype.toISOString`. */
export type Timestamp = t.Branded<string, TimestampBrand>;
export const Timestamp = withRule<Timestamp, string>('Timestamp', text, (value) =>
  ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value))
    ? undefined
    : 'must be an ISO 8601 instant such as 2023-10-27T10:00:00.000Z',
);

/** Free-form JSON object the client attaches to an event. */
export type Payload = Readonly<Record<string, unknown>>;
export const Payload = withRule<Payload, Record<string, unknown>>(
  'Payload',
  new t.Type<Record<string, unknown>, Record<string, unknown>, unknown>(
    'JsonObject',
    t.UnknownRecord.is,
    (input, context) =>
      t.UnknownRecord.is(input)
        ? t.success(input)
        : t.failure(input, context, 'must be a JSON object'),
    t.identity,
  ),
  (value) =>
    nestsDeeperThan(value, PAYLOAD_MAX_DEPTH)
      ? `must not nest deeper than ${PAYLOAD_MAX_DEPTH} levels`
      : undefined,
);

/** The timestamp of an instant, in the one format events carry. */
export const timestampOf = (instant: Date): Timestamp => instant.toISOString() as Timestamp;
