import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';

/** A key as configured: the SHA-256 digest of the key, in hex, and what the key may do. */
export interface GrantedKey<Grant> {
  readonly digest: string;
  readonly grant: Grant;
}

/**
 * What a request's `Authorization: Bearer <key>` proves. A key is named by its fingerprint, the
 * first 8 hex digits of its SHA-256: enough to tell keys apart in a log, never the key.
 */
export type Bearer<Grant> =
  | { readonly kind: 'none' }
  | { readonly kind: 'unknown'; readonly fingerprint: string }
  | { readonly kind: 'known'; readonly grant: Grant; readonly fingerprint: string };

const BEARER = /^Bearer +(\S+)$/i;
const NONE = { kind: 'none' } as const;

/** Keys held as digests only, each with what it grants. */
export class BearerKeys<Grant> {
  private readonly keys: ReadonlyArray<{ readonly digest: Buffer; readonly grant: Grant }>;
  // A request is looked at by the rate limit and by the route's key check: hashed once for both.
  private readonly seen = new WeakMap<Context, Bearer<Grant>>();

  constructor(keys: ReadonlyArray<GrantedKey<Grant>>) {
    this.keys = keys.map(({ digest, grant }) => ({ digest: Buffer.from(digest, 'hex'), grant }));
  }

  get configured(): boolean {
    return this.keys.length > 0;
  }

  bearerOf(ctx: Context): Bearer<Grant> {
    const seen = this.seen.get(ctx);
    if (seen !== undefined) return seen;
    const sent = BEARER.exec(ctx.get('Authorization'))?.[1];
    const bearer = sent === undefined ? NONE : this.identify(sent);
    this.seen.set(ctx, bearer);
    return bearer;
  }

  // Digests are compared, all of them and in constant time, so timing tells nothing of the keys.
  private identify(sent: string): Bearer<Grant> {
    const offered = createHash('sha256').update(sent, 'utf8').digest();
    let granted: { grant: Grant } | undefined;
    for (const key of this.keys) {
      if (timingSafeEqual(key.digest, offered)) granted ??= key;
    }
    const fingerprint = offered.toString('hex', 0, 4);
    return granted === undefined
      ? { kind: 'unknown', fingerprint }
      : { kind: 'known', grant: granted.grant, fingerprint };
  }
}
