import { isRight, type Either } from 'fp-ts/Either';

/**
 * How many results were errors (Left) and how often each outcome (Right) came back; an outcome
 * that is not a string counts under its JSON.
 */
export function tally(results: ReadonlyArray<Either<unknown, unknown>>): Record<string, number> {
  const counts: Record<string, number> = { errors: 0 };
  for (const result of results) {
    const key = !isRight(result)
      ? 'errors'
      : typeof result.right === 'string'
        ? result.right
        : JSON.stringify(result.right);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
