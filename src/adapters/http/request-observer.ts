import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { ServiceMetrics } from '../../application/service-metrics.port';
import { matchedRoute } from './matched-route';

// A single event is named; a batch is counted (its events' lines carry the requestId).
const publishedBy = (eventIds: readonly string[] | undefined) =>
  eventIds === undefined
    ? {}
    : eventIds.length === 1
      ? { eventId: eventIds[0] }
      : { publishedEvents: eventIds.length };

/**
 * One log line and one duration observation per request, by route template rather than raw path
 * (bounded label values), without bodies, queries or keys.
 */
export const observeRequests =
  (logger: Logger, metrics: ServiceMetrics): Middleware =>
  async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const route = matchedRoute(ctx);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.requestAnswered({ method: ctx.method, route, status: ctx.status, seconds });
      logger.info(
        {
          requestId: ctx.state.requestId,
          method: ctx.method,
          route,
          status: ctx.status,
          durationMs: seconds * 1000,
          // The fingerprint of the key that let the request in; absent when none was needed.
          key: ctx.state.key as string | undefined,
          ...publishedBy(ctx.state.published as readonly string[] | undefined),
        },
        'request',
      );
    }
  };
