import { context, trace } from '@opentelemetry/api';

const OUTSIDE_SPANS: Readonly<Record<string, string>> = {};

/**
 * The ids of the span a log line is written in, named as OpenTelemetry's log data model names
 * them (`trace_id`, `span_id`, `trace_flags`), so that a line leads to its trace and back. A pino
 * mixin, installed only when tracing is on.
 */
export function traceLogFields(): Readonly<Record<string, string>> {
  const span = trace.getSpan(context.active());
  if (span === undefined) return OUTSIDE_SPANS;
  const { traceId, spanId, traceFlags } = span.spanContext();
  return {
    trace_id: traceId,
    span_id: spanId,
    trace_flags: traceFlags.toString(16).padStart(2, '0'),
  };
}
