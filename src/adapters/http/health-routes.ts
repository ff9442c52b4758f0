import type Router from '@koa/router';
import type { RouterContext } from '@koa/router';

/** A part's state: `degraded` works in part and says so without failing readiness. */
export type CheckStatus = 'up' | 'down' | 'degraded';

export interface Readiness {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, CheckStatus>>;
  /** Why parts are down, where known: `kafka: authentication failed`. */
  readonly causes?: readonly string[];
}

/** GET /health/live, GET /health/ready and GET /health (= ready). */
export function addHealthRoutes(router: Router, readiness: () => Promise<Readiness>): void {
  router.get('/health/live', (ctx) => {
    ctx.body = { status: 'up', checks: {} };
  });
  const ready = async (ctx: RouterContext) => {
    const { ready: isReady, checks, causes } = await readiness();
    ctx.status = isReady ? 200 : 503;
    ctx.body = { status: isReady ? 'ready' : 'not ready', checks, ...(causes && { causes }) };
  };
  router.get('/health/ready', ready);
  router.get('/health', ready);
}
