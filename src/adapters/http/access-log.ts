import type { Middleware } from 'koa';
import type { Logger } from 'pino';

/** One line per request, by route template rather than raw path, without bodies or queries. */
export const accessLog =
  (logger: Logger): Middleware =>
  async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const matched = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
      logger.info(
        {
          requestId: ctx.state.requestId,
          method: ctx.method,
          route: typeof matched === 'string' ? matched : 'unmatched',
          status: ctx.status,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'request',
      );
    }
  };
