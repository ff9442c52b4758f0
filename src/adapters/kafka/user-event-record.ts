import { isUtf8 } from 'node:buffer';
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import { UserEvent } from '../../domain/user-event';
import { EventId } from '../../domain/event-fields';
import { toValidationIssues } from '../../domain/validation-issue';
import type { DeadLetterReason, RecordHeaders } from '../../application/dead-letter-publisher.port';
import { REQUEST_ID_HEADER } from '../shared/request-id-header';

/**
 * Header values as a client library takes and hands them over: a name's one value, or its
 * several values in order.
 */
export type HeaderValues = Record<string, Buffer | string | Array<Buffer | string> | undefined>;

/** A record to write to a topic, in the shape both client libraries accept. */
export interface OutgoingRecord {
  readonly key?: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: HeaderValues | undefined;
}

/** A record as a client library delivers it from a partition. */
export interface DeliveredRecord {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: HeaderValues | undefined;
}

/** A delivered record that can never become a UserEvent, however often it is retried. */
export interface PoisonRecord {
  readonly reason: Extract<DeadLetterReason, 'malformed' | 'schema-violation'>;
  readonly error: string;
  /** The valid eventId a schema-violating value names, if any: its status is dead-lettered. */
  readonly eventId?: EventId | undefined;
}

/**
 * Key by user (one user's events stay ordered), JSON value, CloudEvents binary-mode headers, and
 * the trace context headers of the event's producer span when it has one.
 */
export function toRecord(
  event: UserEvent,
  source: string,
  requestId: string,
  traceHeaders?: HeaderValues,
): OutgoingRecord {
  const headers: HeaderValues = {
    ce_specversion: '1.0',
    ce_id: event.eventId,
    ce_type: event.eventType,
    ce_source: source,
    ce_time: event.timestamp,
    'content-type': 'application/json',
    [REQUEST_ID_HEADER]: requestId,
  };
  // Added only when traced: the literal above keeps its one fast shape on the untraced path.
  if (traceHeaders !== undefined) Object.assign(headers, traceHeaders);
  return { key: event.userId, value: JSON.stringify(UserEvent.encode(event)), headers };
}

/**
 * Bytes of a record's key, value, header names and header values: what it adds to a produce
 * request, framing aside.
 */
export function recordBytes(record: OutgoingRecord): number {
  const bytes = (value: unknown): number =>
    typeof value === 'string'
      ? Buffer.byteLength(value)
      : Buffer.isBuffer(value)
        ? value.length
        : Array.isArray(value)
          ? value.reduce((sum: number, one: unknown) => sum + bytes(one), 0)
          : 0;
  const headers = Object.entries(record.headers ?? {}).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + bytes(value),
    0,
  );
  return bytes(record.key) + bytes(record.value) + headers;
}

const BYTE_ORDER_MARK = 0xfeff;

/** The valid eventId of a JSON object, if it has one. */
function eventIdIn(json: unknown): EventId | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const decoded = EventId.decode((json as Readonly<Record<string, unknown>>).eventId);
  return E.isRight(decoded) ? decoded.right : undefined;
}

/** The event a record carries, or why it is poison. */
export function fromRecordValue(value: Buffer | null): E.Either<PoisonRecord, UserEvent> {
  if (value === null) return E.left({ reason: 'malformed', error: 'the record has no value' });
  // Validated natively, then decoded: cheaper per record than a fatal TextDecoder.
  if (!isUtf8(value)) return E.left({ reason: 'malformed', error: 'the value is not UTF-8' });
  const text = value.toString('utf8');
  return pipe(
    E.tryCatch(
      () => JSON.parse(text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text) as unknown,
      (): PoisonRecord => ({ reason: 'malformed', error: 'the value is not JSON' }),
    ),
    E.chain((json) =>
      pipe(
        UserEvent.decode(json),
        E.mapLeft((errors): PoisonRecord => ({
          reason: 'schema-violation',
          error: toValidationIssues(errors)
            .slice(0, 5)
            .map((issue) => `${issue.path} ${issue.message}`)
            .join('; '),
          eventId: eventIdIn(json),
        })),
      ),
    ),
  );
}

/**
 * A delivered record's headers, byte for byte. Both clients hand a header over as a buffer, and
 * a name that occurs more than once as an array of them.
 */
export function headerBytes(headers: HeaderValues | undefined): RecordHeaders {
  const bytes: Record<string, Buffer[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    bytes[name] = (Array.isArray(value) ? value : [value]).map((one) =>
      Buffer.isBuffer(one) ? one : Buffer.from(one),
    );
  }
  return bytes;
}

/** Headers to produce: every value of every name, in order, so the broker gets the same bytes. */
export function kafkaHeaders(headers: RecordHeaders): HeaderValues {
  return Object.fromEntries(Object.entries(headers).map(([name, values]) => [name, [...values]]));
}

/** A header's first value read as UTF-8 text, for headers the service itself wrote. */
export function headerText(headers: RecordHeaders, name: string): string | undefined {
  return headers[name]?.[0]?.toString('utf8');
}
