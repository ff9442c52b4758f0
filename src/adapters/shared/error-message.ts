/** A short, stack-free description of something thrown, safe to log or to put in a header. */
export const errorMessage = (cause: unknown): string =>
  cause instanceof Error ? cause.message : 'unknown error';
