import type Router from '@koa/router';
import type { RouterContext } from '@koa/router';

export type CheckStatus = 'up' | 'down';

export interface Readiness {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, CheckStatus>>;
}

/** GET /health/live, GET /health/ready and GET /health (= ready). */
export function addHealthRoutes(router: Router, readiness: () => Promise<Readiness>): void {
  router.get('/health/live', (ctx) => {
    ctx.body = { status: 'up', checks: {} };
  });
  const ready = async (ctx: RouterContext) => {
    const { ready: isReady, checks } = await readiness();
    ctx.status = isReady ? 200 : 503;
    ctx.body = { status: isReady ? 'ready' : 'not ready', checks };
  };
  router.get('/health/ready', ready);
  router.get('/health', ready);
}
