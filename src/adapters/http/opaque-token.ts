/**
 * The cursors this API hands out are opaque to clients: their text (`after:7`, `follow:0:7`)
 * as a base64url token. One way to make and read them, whatever cursor they carry.
 */
export const toOpaqueToken = (text: string): string =>
  Buffer.from(text, 'utf8').toString('base64url');

/** The match of `pattern` on the text a token carries; null for anything else. */
export const matchOpaqueToken = (input: unknown, pattern: RegExp): RegExpExecArray | null =>
  typeof input === 'string' ? pattern.exec(Buffer.from(input, 'base64url').toString('utf8')) : null;
