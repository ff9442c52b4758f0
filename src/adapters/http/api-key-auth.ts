import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { sendProblem, statusProblem } from './problem';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Requires `Authorization: Bearer <key>` with one of `keys`; no keys means no check. Keys are
 * compared as digests in constant time, so timing reveals nothing about them.
 */
export const apiKeyAuth = (keys: readonly string[]): Middleware => {
  const accepted = keys.map(digest);
  return async (ctx, next) => {
    if (accepted.length === 0) return next();
    const offered = digest(/^Bearer (\S+)$/.exec(ctx.get('Authorization'))?.[1] ?? '');
    const valid = accepted.reduce((found, key) => timingSafeEqual(key, offered) || found, false);
    if (!valid) {
      ctx.set('WWW-Authenticate', 'Bearer');
      sendProblem(
        ctx,
        statusProblem(401, 'Unauthorized', 'send a valid API key as Authorization: Bearer <key>'),
      );
      return;
    }
    await next();
  };
};
