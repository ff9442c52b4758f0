import { isRight, type Either } from 'fp-ts/Either';

/** The value of a Right; a Left fails the test, saying what it held. */
export const right = <A>(result: Either<unknown, A>): A => {
  if (!isRight(result)) throw new Error(`expected Right, got ${JSON.stringify(result)}`);
  return result.right;
};
