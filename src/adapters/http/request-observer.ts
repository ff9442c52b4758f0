import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { ServiceMetrics } from '../../application/service-metrics.port';
import type { UserEvent } from '../../domain/user-event';
import { matchedRoute } from './matched-route';

/**
 * One log line and one duration observation per request, by route template rather than raw path
 * (bounded label values), without bodies, queries or keys.
 */
export const observeRequests =
  (logger: Logger, metrics: ServiceMetrics): Middleware =>
  async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const route = matchedRoute(ctx);
      const durationMs = performance.now() - started;
      metrics.requestAnswered({
        method: ctx.method,
        route,
        status: ctx.status,
        seconds: durationMs / 1000,
      });
      // A single event is named; a batch is counted (its events' lines carry the requestId).
      const published = ctx.state.published as readonly UserEvent[] | undefined;
      // One shape for every line, absent fields undefined (pino leaves those out): building it
      // costs less than spreading optional parts in.
      logger.info(
        {
          requestId: ctx.state.requestId as string,
          method: ctx.method,
          route,
          status: ctx.status,
          durationMs,
          // The fingerprint of the key that let the request in; absent when none was needed.
          key: ctx.state.key as string | undefined,
          eventId: published?.length === 1 ? published[0]?.eventId : undefined,
          publishedEvents:
            published !== undefined && published.length > 1 ? published.length : undefined,
        },
        'request',
      );
    }
  };
