import { isRight, type Either } from 'fp-ts/Either';

/** How many results were errors (Left) and how often each outcome (Right) came back. */
export function tally<A extends string>(
  results: ReadonlyArray<Either<unknown, A>>,
): Record<A | 'errors', number> {
  const counts = { errors: 0 } as Record<A | 'errors', number>;
  for (const result of results) {
    const key = isRight(result) ? result.right : 'errors';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
