import type { Middleware } from 'koa';

/** An API answers JSON only: nothing in it should ever be sniffed, framed, cached or scripted. */
export const securityHeaders = (): Middleware => async (ctx, next) => {
  ctx.set({
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  await next();
};
