import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import sinon from 'sinon';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { onKafka, postJson, runService, type RunningService } from '../support/running-service';
import { OtlpReceiver, SPAN_KIND, type ReceivedSpan } from '../support/otlp-receiver';
import { capturedLogger } from '../support/captured-logs';
import { KAFKA_CLIENTS } from '../support/kafka-clients';
import { kafkaBrokers } from '../support/kafka-broker';
import { produceRaw, readTopic } from '../support/raw-kafka';
import { eventually } from '../support/eventually';
import { unique } from '../support/unique';

const PROTOCOLS = [
  ['http/json', 'application/json'],
  ['http/protobuf', 'application/x-protobuf'],
] as const;

// The batch span processor exports every 5 s by default; the SDK reads OTEL_BSP_SCHEDULE_DELAY
// from the process's environment, where these tests shorten it while their services run.
const SCHEDULE_DELAY_MS = '200';
const EXPORTED_WITHIN_MS = 20_000;

const hexId = (bytes: number) => randomBytes(bytes).toString('hex');

for (const client of KAFKA_CLIENTS) {
  for (const [protocol, contentType] of PROTOCOLS) {
    describe(`one trace per event, HTTP to Kafka to the store, on ${client}, OTLP ${protocol}`, function () {
      this.timeout(120_000);
      const logs = capturedLogger({ traced: true });
      let receiver: OtlpReceiver;
      let app: RunningService;
      let topic: string;

      before(async () => {
        process.env.OTEL_BSP_SCHEDULE_DELAY = SCHEDULE_DELAY_MS;
        receiver = await OtlpReceiver.start();
        topic = unique('traced');
        app = await runService(
          {
            ...(await onKafka(topic)),
            KAFKA_CLIENT: client,
            OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
            OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
            OTEL_SERVICE_NAME: 'traced-events',
          },
          undefined,
          logs.logger,
        );
      });
      after(async () => {
        await app?.stop();
        await receiver?.stop();
        delete process.env.OTEL_BSP_SCHEDULE_DELAY;
      });

      /** The spans of `traceId` once the consumer span of each of `eventIds` was exported. */
      const traceOf = (traceId: string, eventIds: readonly string[]) =>
        eventually(
          `the consumer spans of ${eventIds.length} event(s) in trace ${traceId}`,
          () => {
            const spans = receiver.spans().filter((span) => span.traceId === traceId);
            const processed = spans.filter((span) => span.kind === SPAN_KIND.consumer);
            return processed.length === eventIds.length ? spans : undefined;
          },
          EXPORTED_WITHIN_MS,
        );

      it("continues the caller's trace: server span, producer span, consumer span, each the child of the one before", async () => {
        const [traceId, callerSpanId, requestId] = [hexId(16), hexId(8), unique('traced')];
        const response = await postJson(
          `${app.url}/events/generate`,
          { userId: unique('user'), eventType: 'LOGIN' },
          { traceparent: `00-${traceId}-${callerSpanId}-01`, 'X-Request-Id': requestId },
        );
        expect(response.status).to.equal(201);
        const { eventId } = (await response.json()) as { eventId: string };

        const spans = await traceOf(traceId, [eventId]);
        const server = only(spans, SPAN_KIND.server);
        const producer = only(spans, SPAN_KIND.producer);
        const consumer = only(spans, SPAN_KIND.consumer);
        expect(server).to.deep.include({
          name: 'POST /events/generate',
          parentSpanId: callerSpanId,
          serviceName: 'traced-events',
        });
        expect(server.attributes).to.include({
          'http.request.method': 'POST',
          'http.route': '/events/generate',
          'http.response.status_code': 201,
          'url.path': '/events/generate',
        });
        expect(producer).to.deep.include({ name: `send ${topic}`, parentSpanId: server.spanId });
        expect(producer.attributes).to.include({
          'messaging.system': 'kafka',
          'messaging.operation.type': 'send',
          'messaging.destination.name': topic,
          'messaging.message.id': eventId,
        });
        expect(consumer).to.deep.include({
          name: `process ${topic}`,
          parentSpanId: producer.spanId,
          statusCode: 0,
        });
        expect(consumer.attributes).to.include({
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': topic,
          'messaging.message.id': eventId,
          // Where the producer's acknowledgement said the record is, the consumer read it.
          'messaging.destination.partition.id':
            producer.attributes['messaging.destination.partition.id'],
          'messaging.kafka.offset': producer.attributes['messaging.kafka.offset'],
        });
        expect(consumer.attributes['messaging.consumer.group.name']).to.be.a('string');
        expect(receiver.contentTypes).to.not.be.empty;
        for (const type of receiver.contentTypes) expect(type).to.include(contentType);

        // The record carries the producer span's context, as W3C and as CloudEvents headers.
        const [record] = await readTopic(await kafkaBrokers(), topic, 1);
        const traceparent = `00-${traceId}-${producer.spanId}-01`;
        expect(record?.headers.traceparent?.toString()).to.equal(traceparent);
        expect(record?.headers.ce_traceparent?.toString()).to.equal(traceparent);

        // Each line written inside a span names it.
        const requestLine = logs
          .lines()
          .find((line) => line.requestId === requestId && line.msg === 'request');
        expect(requestLine).to.include({
          trace_id: traceId,
          span_id: server.spanId,
          trace_flags: '01',
        });
        const processedLine = logs
          .lines()
          .find((line) => line.eventId === eventId && line.msg === 'event processed');
        expect(processedLine).to.include({ trace_id: traceId, span_id: consumer.spanId });
      });

      it('gives each event of a batch its own producer and consumer span, in the one trace of its request', async () => {
        const response = await postJson(`${app.url}/events/batch`, {
          events: [1, 2, 3].map(() => ({ userId: unique('user'), eventType: 'LOGIN' })),
        });
        expect(response.status).to.equal(201);
        const { eventIds } = (await response.json()) as { eventIds: string[] };
        const server = await eventually(
          'the server span of the batch',
          () =>
            receiver
              .spans()
              .find((span) => span.kind === SPAN_KIND.server && span.name === 'POST /events/batch'),
          EXPORTED_WITHIN_MS,
        );
        expect(server.parentSpanId, 'a new trace: no traceparent came').to.equal(undefined);
        const spans = await traceOf(server.traceId, eventIds);

        const producers = spans.filter((span) => span.kind === SPAN_KIND.producer);
        expect(producers.map((span) => span.attributes['messaging.message.id'])).to.have.members(
          eventIds,
        );
        for (const producer of producers) expect(producer.parentSpanId).to.equal(server.spanId);
        for (const eventId of eventIds) {
          const [producer, consumer] = [SPAN_KIND.producer, SPAN_KIND.consumer].map((kind) =>
            spans.find(
              (span) => span.kind === kind && span.attributes['messaging.message.id'] === eventId,
            ),
          );
          expect(consumer?.parentSpanId, `the consumer span of ${eventId}`).to.equal(
            producer?.spanId,
          );
        }
      });

      it("shows a poison record's DLQ write in its trace, and links a replay of it to that trace", async () => {
        const [traceId, callerSpanId] = [hexId(16), hexId(8)];
        await produceRaw(await kafkaBrokers(), topic, [
          {
            key: 'poison',
            value: 'not json',
            headers: { traceparent: `00-${traceId}-${callerSpanId}-01` },
          },
        ]);
        const dlqWrite = await eventually(
          'the DLQ write',
          () =>
            receiver
              .spans()
              .find((span) => span.traceId === traceId && span.name === `send ${topic}.dlq`),
          EXPORTED_WITHIN_MS,
        );
        const consumer = only(
          receiver.spans().filter((span) => span.traceId === traceId),
          SPAN_KIND.consumer,
        );
        expect(consumer).to.deep.include({ parentSpanId: callerSpanId, statusCode: 2 });
        expect(dlqWrite).to.deep.include({
          kind: SPAN_KIND.producer,
          parentSpanId: consumer.spanId,
        });
        expect(dlqWrite.attributes).to.include({ 'messaging.destination.name': `${topic}.dlq` });
        const deadLettered = logs
          .lines()
          .find((line) => line.msg === 'record dead-lettered' && line.trace_id === traceId);
        expect(deadLettered).to.include({ span_id: consumer.spanId, reason: 'malformed' });

        const listed = (await (await fetch(`${app.url}/dead-letters`)).json()) as {
          letters: Array<{ id: string; key: string | null }>;
        };
        const letter = listed.letters.find((one) => one.key === 'poison');
        const replayed = await postJson(`${app.url}/dead-letters/replay`, { ids: [letter?.id] });
        expect(replayed.status).to.equal(200);
        const replay = await eventually(
          'the replayed record, processed again',
          () => {
            const send = receiver
              .spans()
              .find(
                (span) =>
                  span.name === `send ${topic}` &&
                  span.links.some((link) => link.traceId === traceId),
              );
            const processed = receiver
              .spans()
              .find(
                (span) => span.kind === SPAN_KIND.consumer && span.parentSpanId === send?.spanId,
              );
            return send !== undefined && processed !== undefined ? { send, processed } : undefined;
          },
          EXPORTED_WITHIN_MS,
        );
        // A trace of its own, the replay request's, with a link to the trace the record had.
        expect(replay.send.traceId).to.not.equal(traceId);
        expect(replay.send.links).to.deep.equal([{ traceId, spanId: callerSpanId }]);
        const request = receiver.spans().find((span) => span.spanId === replay.send.parentSpanId);
        expect(request).to.deep.include({
          kind: SPAN_KIND.server,
          name: 'POST /dead-letters/replay',
        });
      });
    });
  }
}

describe('tracing off (no OTLP endpoint set), on a real Kafka broker', function () {
  this.timeout(120_000);
  const logs = capturedLogger();
  let app: RunningService;
  let topic: string;
  const sandbox = sinon.createSandbox();

  before(async () => {
    topic = unique('untraced');
    app = await runService(await onKafka(topic), undefined, logs.logger);
  });
  after(async () => {
    sandbox.restore();
    await app?.stop();
  });

  it('runs no span processor and no exporter, and writes no trace context into records', async () => {
    const ran = [
      sandbox.spy(BatchSpanProcessor.prototype, 'onStart'),
      sandbox.spy(BatchSpanProcessor.prototype, 'onEnd'),
      sandbox.spy(JsonTraceExporter.prototype, 'export'),
      sandbox.spy(ProtobufTraceExporter.prototype, 'export'),
    ];
    const response = await postJson(
      `${app.url}/events/generate`,
      { userId: unique('user'), eventType: 'LOGIN' },
      // Even a caller's trace is not continued: nothing of the SDK runs.
      { traceparent: `00-${hexId(16)}-${hexId(8)}-01` },
    );
    const { eventId } = (await response.json()) as { eventId: string };
    await eventually('the processed line', () =>
      logs.lines().find((line) => line.eventId === eventId && line.msg === 'event processed'),
    );

    for (const spy of ran) expect(spy.called, spy.toString()).to.equal(false);
    const [record] = await readTopic(await kafkaBrokers(), topic, 1);
    expect(Object.keys(record?.headers ?? {})).to.not.include.members([
      'traceparent',
      'ce_traceparent',
    ]);
    expect(Object.keys(record?.headers ?? {})).to.include('ce_id');
    expect(logs.lines().filter((line) => 'trace_id' in line)).to.deep.equal([]);
  });
});

function only(spans: readonly ReceivedSpan[], kind: number): ReceivedSpan {
  const ofKind = spans.filter((span) => span.kind === kind);
  expect(ofKind, `spans of kind ${kind}`).to.have.lengthOf(1);
  return ofKind[0]!;
}
