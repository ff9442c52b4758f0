import type { Middleware } from 'koa';
import type { BearerKeys } from './bearer-keys';
import type { ThrottledWarnings } from './throttled-warnings';
import { matchedRoute } from './matched-route';
import { sendProblem, statusProblem } from './problem';

/** Which keys a route takes. */
export interface KeyRule<Grant> {
  readonly keys: BearerKeys<Grant>;
  /** What to send, for the 401's detail. */
  readonly wanted: string;
  /** Why a known key with this grant may not come in here (the 403's detail); undefined: it may. */
  readonly refusal: (grant: Grant) => string | undefined;
}

/**
 * Lets a request in when no key is configured, or when it sends a key the rule admits; the key's
 * fingerprint goes to the request's log line. Otherwise 401 (no key, or an unknown one) or 403
 * (a known key that may not do this), and a warn line with the client's address.
 */
export const requireKey =
  <Grant>(rule: KeyRule<Grant>, refusals: ThrottledWarnings): Middleware =>
  (ctx, next) => {
    if (!rule.keys.configured) return next();
    const bearer = rule.keys.bearerOf(ctx);
    const refusal = bearer.kind === 'known' ? rule.refusal(bearer.grant) : undefined;
    if (bearer.kind === 'known' && refusal === undefined) {
      ctx.state.key = bearer.fingerprint;
      return next();
    }
    refusals.warn({
      requestId: ctx.state.requestId as string,
      clientAddress: ctx.ip,
      method: ctx.method,
      route: matchedRoute(ctx),
      reason: { none: 'no key', unknown: 'unknown key', known: 'key not allowed here' }[
        bearer.kind
      ],
      ...(bearer.kind === 'none' ? {} : { key: bearer.fingerprint }),
    });
    if (refusal !== undefined) {
      ctx.set('WWW-Authenticate', 'Bearer error="insufficient_scope"');
      sendProblem(ctx, statusProblem(403, 'Forbidden', refusal));
      return undefined;
    }
    ctx.set('WWW-Authenticate', 'Bearer');
    sendProblem(
      ctx,
      statusProblem(401, 'Unauthorized', `send ${rule.wanted} as Authorization: Bearer <key>`),
    );
    return undefined;
  };
