import type { Context } from 'koa';

/** The route template the router matched (`/events/{eventId}/status`'s `:eventId` form), if any. */
export function matchedRoute(ctx: Context): string {
  const matched = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
  return typeof matched === 'string' ? matched : 'unmatched';
}
