// Enough to say what failed; a driver's message may quote a whole statement or payload.
const MAX_LENGTH = 200;

/**
 * A short, stack-free description of something thrown, safe to log, to store or to put in a
 * header: the one way the service turns a failure into text. A system error without a message
 * (a refused connection to every address is an AggregateError with none) is named by its code.
 */
export function errorMessage(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : typeof cause === 'string' ? cause : '';
  const code = (cause as { code?: unknown } | null | undefined)?.code;
  const text = message !== '' ? message : typeof code === 'string' ? code : 'unknown error';
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}…` : text;
}

/** Something thrown, as an Error (a library may throw anything). */
export const asError = (cause: unknown): Error =>
  cause instanceof Error ? cause : new Error(errorMessage(cause));
