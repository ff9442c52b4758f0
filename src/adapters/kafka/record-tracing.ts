import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type TextMapGetter,
  type Tracer,
} from '@opentelemetry/api';
import type { Either } from 'fp-ts/Either';
import type { RecordLocation } from '../../application/record-location';
import type { UserEvent } from '../../domain/user-event';
import type { DeliveredRecord, HeaderValues } from './user-event-record';

// OpenTelemetry's messaging semantic conventions; not in the package's stable exports yet.
const MESSAGING = {
  system: 'messaging.system',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  destination: 'messaging.destination.name',
  partition: 'messaging.destination.partition.id',
  offset: 'messaging.kafka.offset',
  key: 'messaging.kafka.message.key',
  messageId: 'messaging.message.id',
  group: 'messaging.consumer.group.name',
} as const;

// The W3C trace context header, and its CloudEvents twin (the distributed tracing extension in
// Kafka's binary mode), which a CloudEvents consumer reads where it knows no W3C headers.
const CLOUDEVENTS_PREFIX = 'ce_';
const TRACE_CONTEXT_HEADERS = ['traceparent', 'tracestate'] as const;
// Every header a record's trace context is written under: the W3C names and their twins.
const TRACE_HEADER_NAMES: ReadonlySet<string> = new Set(
  TRACE_CONTEXT_HEADERS.flatMap((name) => [name, `${CLOUDEVENTS_PREFIX}${name}`]),
);

type WriteOutcome = Either<{ readonly _tag: string }, readonly RecordLocation[]>;

/** Headers as either client delivers them, or as the DLQ keeps them. */
type TraceCarrier = Readonly<
  Record<string, Buffer | string | ReadonlyArray<Buffer | string> | undefined>
>;

/** What a producer span names of the record it sends. */
export interface SentRecord {
  /** The eventId, where the record carries one. */
  readonly messageId: string | undefined;
  readonly key: string | undefined;
  /** Headers of an earlier record this one sends again (a replayed dead letter): linked. */
  readonly sentBefore?: TraceCarrier | undefined;
}

/** Each record's producer span, and the headers that carry its context in the record. */
export interface TracedSends {
  /** The trace context headers of each event's record, in the events' order. */
  readonly headers: ReadonlyArray<HeaderValues | undefined>;
  /** Ends the spans with what the write came to: each record's location, or the failure. */
  end(written: WriteOutcome): void;
}

const UNTRACED_SENDS: TracedSends = { headers: [], end: () => undefined };

/** A delivered record's consumer span, and the context its processing runs in. */
export interface TracedProcessing {
  readonly span: Span;
  readonly context: Context;
}

/**
 * The spans of records, one per record, whichever client library writes and reads them: each
 * event's producer span (a child of the context it was published in, the request's server span)
 * puts its context into the record's headers, and each record's consumer span is a child of the
 * context its headers carry. Without a tracer (tracing off) it does nothing at all. Attributes
 * are set on recorded spans only: the samplers this service offers decide on trace ids alone, and
 * most spans of a sampled-down service are not recorded.
 */
export class RecordTracing {
  constructor(
    private readonly tracer: Tracer | undefined,
    private readonly topic: string,
    /** The consumer group whose records this traces, on the consuming side. */
    private readonly groupId?: string,
  ) {}

  /** Starts each event's producer span in the active context; end them once written. */
  sending(events: readonly UserEvent[]): TracedSends {
    if (this.tracer === undefined) return UNTRACED_SENDS;
    return this.sendingRecords(
      events.map((event) => ({ messageId: event.eventId, key: event.userId })),
    );
  }

  /**
   * Starts each record's producer span in the active context (a dead letter's: the consumer
   * span of the record it was; a replay's: the replay request's), linked to the trace of the
   * earlier record it sends again, if any; end them once written.
   */
  sendingRecords(records: readonly SentRecord[]): TracedSends {
    const { tracer, topic } = this;
    if (tracer === undefined) return UNTRACED_SENDS;
    const parent = context.active();
    const spans = records.map((record) => {
      const links = linkTo(record.sentBefore);
      const span = tracer.startSpan(`send ${topic}`, { kind: SpanKind.PRODUCER, links }, parent);
      if (span.isRecording()) span.setAttributes(this.attributes('send', record));
      return span;
    });
    return {
      headers: spans.map((span) => traceHeaders(trace.setSpan(parent, span))),
      end: (written) => {
        spans.forEach((span, index) => {
          if (span.isRecording()) describeWrite(span, written, index);
          span.end();
        });
      },
    };
  }

  /**
   * Starts a record's consumer span, a child of the producer's context in its headers; end it
   * once the record is settled (stored, a duplicate, or written to the DLQ).
   */
  processing(
    partition: number,
    record: DeliveredRecord,
    event: UserEvent | undefined,
  ): TracedProcessing | undefined {
    const { tracer, topic } = this;
    if (tracer === undefined) return undefined;
    const parent = propagation.extract(ROOT_CONTEXT, record.headers ?? {}, HEADER_GETTER);
    const span = tracer.startSpan(`process ${topic}`, { kind: SpanKind.CONSUMER }, parent);
    if (span.isRecording())
      span.setAttributes({
        ...this.attributes('process', { messageId: event?.eventId, key: event?.userId }),
        [MESSAGING.group]: this.groupId,
        ...locationAttributes({ partition, offset: record.offset }),
      });
    return { span, context: trace.setSpan(parent, span) };
  }

  private attributes(operation: 'send' | 'process', record: SentRecord): Attributes {
    return {
      [MESSAGING.system]: 'kafka',
      [MESSAGING.operationType]: operation,
      [MESSAGING.operationName]: operation,
      [MESSAGING.destination]: this.topic,
      [MESSAGING.messageId]: record.messageId,
      [MESSAGING.key]: record.key,
    };
  }
}

/** Runs `work` in the record's processing context, so that what it starts and logs is inside. */
export const withinProcessing = <A>(traced: TracedProcessing | undefined, work: () => A): A =>
  traced === undefined ? work() : context.with(traced.context, work);

/** Ends a record's consumer span: an error when it was dead-lettered or not settled at all. */
export function endProcessing(traced: TracedProcessing | undefined, failure?: string): void {
  if (traced === undefined) return;
  if (failure !== undefined)
    traced.span.setStatus({ code: SpanStatusCode.ERROR, message: failure });
  traced.span.end();
}

/** Where the write put the span's record, or why it failed. */
function describeWrite(span: Span, written: WriteOutcome, index: number): void {
  if (written._tag === 'Left') {
    span.setStatus({ code: SpanStatusCode.ERROR, message: written.left._tag });
    return;
  }
  const location = written.right[index];
  if (location !== undefined) span.setAttributes(locationAttributes(location));
}

/** A link to the span whose context `headers` carry, when they carry one. */
function linkTo(headers: TraceCarrier | undefined): Link[] | undefined {
  if (headers === undefined) return undefined;
  const earlier = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, headers, HEADER_GETTER));
  return earlier === undefined ? undefined : [{ context: earlier }];
}

const locationAttributes = ({ partition, offset }: RecordLocation): Attributes => ({
  [MESSAGING.partition]: String(partition),
  [MESSAGING.offset]: Number(offset),
});

/** The W3C headers of `spanContext`, each also under its CloudEvents name. */
function traceHeaders(spanContext: Context): HeaderValues {
  const carrier: Record<string, string> = {};
  propagation.inject(spanContext, carrier);
  const headers: HeaderValues = {};
  for (const name of TRACE_CONTEXT_HEADERS) {
    const value = carrier[name];
    if (value === undefined) continue;
    headers[name] = value;
    headers[`${CLOUDEVENTS_PREFIX}${name}`] = value;
  }
  return headers;
}

/** Reads a W3C header of a delivered record, or its CloudEvents twin when it has only that. */
const HEADER_GETTER: TextMapGetter<TraceCarrier> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, name) => {
    const value = headers[name] ?? headers[`${CLOUDEVENTS_PREFIX}${name}`];
    const first: Buffer | string | undefined = isList(value) ? value[0] : value;
    return first?.toString();
  },
};

const isList = (
  value: Buffer | string | ReadonlyArray<Buffer | string> | undefined,
): value is ReadonlyArray<Buffer | string> => Array.isArray(value);

/** `headers` with the trace context of `traced` in place of any they carried, when traced. */
export function withTraceContext(
  headers: HeaderValues,
  traced: HeaderValues | undefined,
): HeaderValues {
  if (traced === undefined) return headers;
  const kept = Object.entries(headers).filter(([name]) => !TRACE_HEADER_NAMES.has(name));
  return { ...Object.fromEntries(kept), ...traced };
}
