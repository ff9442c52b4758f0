import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import { REQUEST_ID_HEADER } from '../shared/request-id-header';

// Sane: short, printable, no spaces, so it is safe to log and to echo.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes the caller's X-Request-Id when sane, else makes one; every response carries it. */
export const requestId = (): Middleware => async (ctx, next) => {
  const offered = ctx.get(REQUEST_ID_HEADER);
  ctx.state.requestId = SANE_REQUEST_ID.test(offered) ? offered : randomUUID();
  ctx.set(REQUEST_ID_HEADER, ctx.state.requestId as string);
  await next();
};
