import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A span as an OTLP/HTTP request carried it, whichever the encoding. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Undefined for a root span. */
  readonly parentSpanId: string | undefined;
  readonly name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  readonly links: ReadonlyArray<{ readonly traceId: string; readonly spanId: string }>;
  /** OTLP's StatusCode: 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
  readonly serviceName: string | undefined;
}

export const SPAN_KIND = { server: 2, producer: 4, consumer: 5 } as const;

/**
 * A trace receiver of the OpenTelemetry protocol over HTTP, as a collector is one: POST
 * /v1/traces in JSON (`http/json`) or protobuf (`http/protobuf`), each decoded here into the
 * same spans, so that a test reads what the service exported in either protocol.
 */
export class OtlpReceiver {
  private readonly received: ReceivedSpan[] = [];
  /** The Content-Type of every export request, in order. */
  readonly contentTypes: string[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<OtlpReceiver> {
    const server = createServer();
    const receiver = new OtlpReceiver(server);
    server.on('request', (request: IncomingMessage, response) => {
      void bodyOf(request).then((body) => {
        const type = request.headers['content-type'] ?? '';
        receiver.contentTypes.push(type);
        const protobuf = type.startsWith('application/x-protobuf');
        receiver.received.push(...(protobuf ? protobufSpans(body) : jsonSpans(body)));
        response.writeHead(200, { 'Content-Type': protobuf ? type : 'application/json' });
        response.end(protobuf ? '' : '{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** The base URL, as OTEL_EXPORTER_OTLP_ENDPOINT takes it. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  spans(): readonly ReceivedSpan[] {
    return this.received;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

// ---- OTLP/JSON: ids are hex, enums are numbers, int64 values are decimal strings.

interface JsonValue {
  readonly stringValue?: string;
  readonly intValue?: string | number;
  readonly boolValue?: boolean;
  readonly doubleValue?: number;
}
interface JsonKeyValue {
  readonly key: string;
  readonly value: JsonValue;
}
interface JsonSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes?: readonly JsonKeyValue[];
  readonly links?: ReadonlyArray<{ readonly traceId: string; readonly spanId: string }>;
  readonly status?: { readonly code?: number };
}
interface JsonRequest {
  readonly resourceSpans: ReadonlyArray<{
    readonly resource?: { readonly attributes?: readonly JsonKeyValue[] };
    readonly scopeSpans: ReadonlyArray<{ readonly spans?: readonly JsonSpan[] }>;
  }>;
}

const jsonValue = (value: JsonValue): string | number | boolean =>
  value.stringValue ?? value.boolValue ?? value.doubleValue ?? Number(value.intValue);

const jsonAttributes = (attributes: readonly JsonKeyValue[] = []) =>
  Object.fromEntries(attributes.map(({ key, value }) => [key, jsonValue(value)]));

function jsonSpans(body: Buffer): ReceivedSpan[] {
  const request = JSON.parse(body.toString('utf8')) as JsonRequest;
  return request.resourceSpans.flatMap(({ resource, scopeSpans }) => {
    const serviceName = jsonAttributes(resource?.attributes)['service.name'];
    return scopeSpans.flatMap(({ spans = [] }) =>
      spans.map((span): ReceivedSpan => ({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId === '' ? undefined : span.parentSpanId,
        name: span.name,
        kind: span.kind,
        attributes: jsonAttributes(span.attributes),
        links: (span.links ?? []).map(({ traceId, spanId }) => ({ traceId, spanId })),
        statusCode: span.status?.code ?? 0,
        serviceName: typeof serviceName === 'string' ? serviceName : undefined,
      })),
    );
  });
}

// ---- OTLP/protobuf (opentelemetry/proto/collector/trace/v1), read field by field.

interface Field {
  readonly number: number;
  /** A varint or fixed number, or the bytes of a length-delimited field. */
  readonly value: bigint | Buffer;
}

/** The fields of one message, in order: protobuf's wire format, nothing more. */
function fieldsOf(message: Buffer): Field[] {
  const fields: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = message[at++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  };
  while (at < message.length) {
    const tag = Number(varint());
    const [number, wireType] = [tag >>> 3, tag & 7];
    if (wireType === 0) fields.push({ number, value: varint() });
    else if (wireType === 1) fields.push({ number, value: message.readBigUInt64LE((at += 8) - 8) });
    else if (wireType === 5)
      fields.push({ number, value: BigInt(message.readUInt32LE((at += 4) - 4)) });
    else if (wireType === 2) {
      const length = Number(varint());
      fields.push({ number, value: message.subarray(at, (at += length)) });
    } else throw new Error(`protobuf wire type ${wireType} at byte ${at}`);
  }
  return fields;
}

const bytes = (fields: readonly Field[], number: number): Buffer[] =>
  fields.filter((field) => field.number === number).map((field) => field.value as Buffer);
const first = (fields: readonly Field[], number: number) =>
  fields.find((field) => field.number === number)?.value;
const text = (fields: readonly Field[], number: number): string | undefined =>
  (first(fields, number) as Buffer | undefined)?.toString('utf8');
const hex = (fields: readonly Field[], number: number): string | undefined => {
  const id = first(fields, number) as Buffer | undefined;
  return id === undefined || id.length === 0 ? undefined : id.toString('hex');
};

/** AnyValue: 1 string, 2 bool, 3 int64, 4 double. */
function anyValue(value: Buffer): string | number | boolean {
  const [field] = fieldsOf(value);
  if (field === undefined) return '';
  if (field.number === 1) return (field.value as Buffer).toString('utf8');
  if (field.number === 2) return field.value === 1n;
  if (field.number === 3) return Number(BigInt.asIntN(64, field.value as bigint));
  const double = Buffer.alloc(8);
  double.writeBigUInt64LE(field.value as bigint);
  return double.readDoubleLE();
}

/** KeyValue: 1 key, 2 value. */
const protobufAttributes = (keyValues: readonly Buffer[]) =>
  Object.fromEntries(
    keyValues.map((keyValue) => {
      const fields = fieldsOf(keyValue);
      return [text(fields, 1) ?? '', anyValue(bytes(fields, 2)[0] ?? Buffer.alloc(0))];
    }),
  );

/**
 * ExportTraceServiceRequest: 1 ResourceSpans (1 Resource, 2 ScopeSpans (2 Span)). Span: 1
 * trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind, 9 attributes, 13 links, 15 status.
 */
function protobufSpans(body: Buffer): ReceivedSpan[] {
  return bytes(fieldsOf(body), 1).flatMap((resourceSpans) => {
    const fields = fieldsOf(resourceSpans);
    const resource = bytes(fields, 1)[0];
    const resourceAttributes = protobufAttributes(
      resource === undefined ? [] : bytes(fieldsOf(resource), 1),
    );
    const serviceName = resourceAttributes['service.name'];
    return bytes(fields, 2).flatMap((scopeSpans) =>
      bytes(fieldsOf(scopeSpans), 2).map((spanBytes): ReceivedSpan => {
        const span = fieldsOf(spanBytes);
        const status = bytes(span, 15)[0];
        return {
          traceId: hex(span, 1) ?? '',
          spanId: hex(span, 2) ?? '',
          parentSpanId: hex(span, 4),
          name: text(span, 5) ?? '',
          kind: Number(first(span, 6) ?? 0n),
          attributes: protobufAttributes(bytes(span, 9)),
          links: bytes(span, 13).map((link) => {
            const linkFields = fieldsOf(link);
            return { traceId: hex(linkFields, 1) ?? '', spanId: hex(linkFields, 2) ?? '' };
          }),
          statusCode: status === undefined ? 0 : Number(first(fieldsOf(status), 3) ?? 0n),
          serviceName: typeof serviceName === 'string' ? serviceName : undefined,
        };
      }),
    );
  });
}
