import type { Context } from 'koa';
import * as E from 'fp-ts/Either';
import type { ApiError } from './api-error';
import { problemFor } from './api-error-problem';
import { sendProblem } from './problem';

/** Sends the problem of a Left, or lets `onRight` answer. */
export function respond<A>(
  ctx: Context,
  result: E.Either<ApiError, A>,
  onRight: (value: A) => void,
): void {
  if (E.isRight(result)) return onRight(result.right);
  const problem = problemFor(result.left);
  if (typeof problem.retryAfterSeconds === 'number')
    ctx.set('Retry-After', String(problem.retryAfterSeconds));
  sendProblem(ctx, problem);
}
