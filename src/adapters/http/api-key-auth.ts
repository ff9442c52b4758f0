import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { sendProblem, statusProblem } from './problem';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** The configured API keys, kept only as digests. */
export class ApiKeys {
  private readonly accepted: readonly Buffer[];

  constructor(keys: readonly string[]) {
    this.accepted = keys.map(digest);
  }

  get configured(): boolean {
    return this.accepted.length > 0;
  }

  /**
   * The fingerprint (first 8 hex digits of its SHA-256) of the valid key the request sends as
   * `Authorization: Bearer <key>`, if it sends one. Compared as digests in constant time, so
   * timing reveals nothing about the keys.
   */
  keyOf(ctx: Context): string | undefined {
    const offered = digest(/^Bearer (\S+)$/.exec(ctx.get('Authorization'))?.[1] ?? '');
    const valid = this.accepted.reduce(
      (found, key) => timingSafeEqual(key, offered) || found,
      false,
    );
    return valid ? offered.toString('hex', 0, 4) : undefined;
  }
}

/** Requires a valid API key when any is configured; 401 otherwise. */
export const apiKeyAuth =
  (keys: ApiKeys): Middleware =>
  async (ctx, next) => {
    if (!keys.configured || keys.keyOf(ctx) !== undefined) return next();
    ctx.set('WWW-Authenticate', 'Bearer');
    sendProblem(
      ctx,
      statusProblem(401, 'Unauthorized', 'send a valid API key as Authorization: Bearer <key>'),
    );
  };
