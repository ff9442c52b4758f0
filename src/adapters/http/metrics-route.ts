import type Router from '@koa/router';

/** Renders the metrics in a scraper's format (Prometheus text). */
export interface MetricsExposition {
  exposition(): Promise<{ readonly contentType: string; readonly text: string }>;
}

/** GET /metrics. */
export function addMetricsRoute(router: Router, metrics: MetricsExposition): void {
  router.get('/metrics', async (ctx) => {
    const { contentType, text } = await metrics.exposition();
    ctx.type = contentType;
    ctx.body = text;
  });
}
