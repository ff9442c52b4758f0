import { createHash } from 'node:crypto';

const DIGEST_PREFIX = 'sha256:';

/**
 * A bearer key as configured: the key itself, 16 or more printable characters, or its SHA-256
 * digest as `sha256:<64 hex>`, so that the environment need not hold the secret.
 */
export const BEARER_KEY = /^(?:sha256:[0-9A-Fa-f]{64}|(?!sha256:)[\x21-\x7e]{16,})$/;

export const BEARER_KEY_RULE =
  '16 or more printable characters, or sha256: and the 64 hex digits of the key';

/** The SHA-256 digest of a configured key, in lower-case hex, whichever way it was given. */
export function keyDigest(configured: string): string {
  return configured.startsWith(DIGEST_PREFIX)
    ? configured.slice(DIGEST_PREFIX.length).toLowerCase()
    : createHash('sha256').update(configured, 'utf8').digest('hex');
}
