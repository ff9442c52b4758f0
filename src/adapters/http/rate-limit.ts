import type { Context, Middleware } from 'koa';
import { sendProblem } from './problem';
import { clockMinutes, MINUTE_MS, MinuteWindow } from './minute-window';

// A fixed window of the clock's minute for every client at once: at its end every count starts
// again. A client may so send up to twice the limit across a window's edge, and the memory it
// takes is one count per client seen in the current minute.
const POLICY = '"per-minute"';
// Clients counted in one window; beyond, new ones share one count, so that a flood of addresses
// cannot grow the map without bound (they then limit each other, never the clients already seen).
const MAX_CLIENTS = 100_000;
const OVERFLOW = 'overflow';

/**
 * At most `perMinute` requests per client and minute, a client being what `clientOf` names.
 * Every answer says the policy and what is left in `RateLimit-Policy` and `RateLimit` (IETF
 * draft-ietf-httpapi-ratelimit-headers); one over the limit gets 429 with `Retry-After`.
 */
export function rateLimit(
  perMinute: number,
  clientOf: (ctx: Context) => string,
  now: () => number,
): Middleware {
  const window = new MinuteWindow(clockMinutes);
  const counts = new Map<string, number>();
  return async (ctx, next) => {
    const at = now();
    if (window.moveTo(at)) counts.clear();
    const named = clientOf(ctx);
    const client = counts.has(named) || counts.size < MAX_CLIENTS ? named : OVERFLOW;
    const used = (counts.get(client) ?? 0) + 1;
    counts.set(client, used);
    const resetSeconds = Math.max(1, Math.ceil(window.remainingMs(at) / 1000));
    ctx.set('RateLimit-Policy', `${POLICY};q=${perMinute};w=${MINUTE_MS / 1000}`);
    ctx.set('RateLimit', `${POLICY};r=${Math.max(0, perMinute - used)};t=${resetSeconds}`);
    if (used <= perMinute) return next();
    ctx.set('Retry-After', String(resetSeconds));
    sendProblem(ctx, {
      status: 429,
      type: '/problems/rate-limited',
      title: 'Too many requests',
      detail: `at most ${perMinute} requests a minute per client; retry after ${resetSeconds} s`,
    });
  };
}
