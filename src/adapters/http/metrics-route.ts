import type Router from '@koa/router';
import type { Middleware } from 'koa';

/** Renders the metrics in a scraper's format (Prometheus text). */
export interface MetricsExposition {
  exposition(): Promise<{ readonly contentType: string; readonly text: string }>;
}

/** GET /metrics; `access` decides who may scrape. */
export function addMetricsRoute(
  router: Router,
  metrics: MetricsExposition,
  access: Middleware,
): void {
  router.get('/metrics', access, async (ctx) => {
    const { contentType, text } = await metrics.exposition();
    ctx.type = contentType;
    ctx.body = text;
  });
}
