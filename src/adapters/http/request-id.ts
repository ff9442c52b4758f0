import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import { REQUEST_ID_HEADER } from '../shared/request-id-header';

// Sane: short, printable, no spaces, so it is safe to log and to echo.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Takes the caller's X-Request-Id when sane, else makes one; every response carries it. Not an
 * async function: a middleware that only passes on need not cost a promise of its own.
 */
export const requestId = (): Middleware => (ctx, next) => {
  const offered = ctx.get(REQUEST_ID_HEADER);
  const id = SANE_REQUEST_ID.test(offered) ? offered : randomUUID();
  ctx.state.requestId = id;
  ctx.set(REQUEST_ID_HEADER, id);
  return next();
};
