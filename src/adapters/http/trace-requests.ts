import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type { Context, Middleware } from 'koa';
import { matchedRoute } from './matched-route';

/**
 * The server span of each request (OpenTelemetry's HTTP semantic conventions), continuing the
 * trace of an incoming `traceparent`, and active while the request is handled: the spans the
 * request starts (one per published event) are its children, and its log lines carry its ids.
 * Only installed when tracing is on.
 */
export const traceRequests =
  (tracer: Tracer): Middleware =>
  async (ctx, next) => {
    const parent = propagation.extract(ROOT_CONTEXT, ctx.headers);
    const span = tracer.startSpan(ctx.method, { kind: SpanKind.SERVER }, parent);
    // Attributes only where the span is recorded: the samplers decide on trace ids alone.
    const recording = span.isRecording();
    if (recording)
      span.setAttributes({
        'http.request.method': ctx.method,
        'url.path': ctx.path,
        'url.scheme': ctx.protocol,
        'network.protocol.version': ctx.req.httpVersion,
        'server.port': ctx.req.socket.localPort,
        'client.address': ctx.ip,
        'user_agent.original': ctx.get('User-Agent') || undefined,
      });
    try {
      await context.with(trace.setSpan(parent, span), next);
    } finally {
      if (recording) describeAnswer(span, ctx);
      span.end();
    }
  };

/** The route and status of the answer, as the span's name and attributes. */
function describeAnswer(span: Span, ctx: Context): void {
  const route = matchedRoute(ctx);
  // Unmatched paths keep the method alone as their name: raw paths would be unbounded.
  if (route !== 'unmatched') {
    span.updateName(`${ctx.method} ${route}`);
    span.setAttribute('http.route', route);
  }
  span.setAttribute('http.response.status_code', ctx.status);
  // A 4xx is the client's; only the server's own failures mark its span (the conventions).
  if (ctx.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
}
