import type * as t from 'io-ts';

/** One thing wrong with a client's input: where (dotted path, `(body)` for the whole) and what. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Turns io-ts errors into short issues, one per path. Unlike io-ts' PathReporter it never prints
 * type text or echoes the client's value, and it does not walk the input.
 */
export function toValidationIssues(errors: t.Errors): ValidationIssue[] {
  const issues = new Map<string, ValidationIssue>();
  for (const error of errors) {
    const path = pathOf(error.context);
    if (issues.has(path)) continue;
    const message =
      error.value === undefined ? 'is required' : (error.message ?? 'has the wrong type');
    issues.set(path, { path, message });
  }
  return [...issues.values()];
}

const pathOf = (context: t.Context): string =>
  context
    .slice(1)
    .map((entry) => entry.key)
    .join('.') || '(body)';
