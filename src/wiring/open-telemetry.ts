import {
  context,
  diag,
  DiagLogLevel,
  propagation,
  ROOT_CONTEXT,
  trace,
  type DiagLogger,
  type Tracer,
} from '@opentelemetry/api';
import { setTimeout as delay } from 'node:timers/promises';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import type { Logger } from 'pino';
import type { TracingSettings } from '../config/config';

/** Where the service's spans start, and how they are flushed when it stops. */
export interface Tracing {
  /** Undefined when tracing is off: the adapters then start no span and inject no header. */
  readonly tracer: Tracer | undefined;
  /** Exports the spans still waiting, then takes the SDK out of the process's API. */
  stop(): Promise<void>;
}

const TRACER_NAME = 'user-events-service';
// Spans still waiting at shutdown get this long to reach the collector: one that does not answer
// (the exporter's own timeout is 10 s) must not take the graceful shutdown's whole deadline.
const FLUSH_AT_STOP_MS = 3000;

export const NO_TRACING: Tracing = { tracer: undefined, stop: () => Promise.resolve() };

/**
 * The OpenTelemetry SDK, when the settings turn tracing on: a tracer provider registered as the
 * process's (W3C trace context propagation, an AsyncLocalStorage context manager), with the
 * sampler the settings name and a batch span processor (OTEL_BSP_* apply) exporting over
 * OTLP/HTTP in the protocol they name. Its own troubles (a collector that does not answer) are
 * log lines at warn.
 */
export function startTracing(settings: TracingSettings | undefined, logger: Logger): Tracing {
  if (settings === undefined) return NO_TRACING;
  diag.setLogger(diagnosticsTo(logger.child({ component: 'opentelemetry' })), DiagLogLevel.WARN);
  const provider = new NodeTracerProvider({
    resource: defaultResource()
      .merge(detectResources({ detectors: [envDetector] }))
      .merge(resourceFromAttributes({ 'service.name': settings.serviceName })),
    sampler: samplerOf(settings),
    spanProcessors: [new BatchSpanProcessor(exporterOf(settings))],
  });
  provider.register();
  return {
    tracer: trace.getTracer(TRACER_NAME),
    stop: async () => {
      const flushed = await Promise.race([
        provider.shutdown().then(() => true),
        delay(FLUSH_AT_STOP_MS, false, { ref: false }),
      ]);
      if (!flushed) logger.warn({ afterMs: FLUSH_AT_STOP_MS }, 'spans not exported before stop');
      trace.disable();
      context.disable();
      propagation.disable();
      diag.disable();
    },
  };
}

function exporterOf({ protocol, tracesUrl }: TracingSettings): SpanExporter {
  return protocol === 'http/json'
    ? new JsonTraceExporter({ url: tracesUrl })
    : new ProtobufTraceExporter({ url: tracesUrl });
}

/** OTEL_TRACES_SAMPLER's samplers, as the OpenTelemetry specification defines them. */
function samplerOf({ sampler, samplerRatio }: TracingSettings): Sampler {
  switch (sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(samplerRatio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(samplerRatio) });
  }
}

// The SDK's own lines are about the SDK (an export that failed), not about the span that
// happened to be active when it wrote them: they are written outside of every span.
const diagnosticsTo = (logger: Logger): DiagLogger => {
  const line =
    (level: 'error' | 'warn' | 'info' | 'debug' | 'trace') =>
    (message: string, ...args: unknown[]) =>
      context.with(ROOT_CONTEXT, () => logger[level]({ details: args }, message));
  return {
    error: line('error'),
    warn: line('warn'),
    info: line('info'),
    debug: line('debug'),
    verbose: line('trace'),
  };
};
