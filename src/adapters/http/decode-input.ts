import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import type * as t from 'io-ts';
import { toValidationIssues } from '../../domain/validation-issue';
import { invalidInput, type ApiError } from './api-error';

/** Decodes client input with `codec`; a failure lists every bad field. */
export const decodeInput = <A>(
  codec: t.Decoder<unknown, A>,
  input: unknown,
  detail: string,
): E.Either<ApiError, A> =>
  pipe(
    codec.decode(input),
    E.mapLeft((errors) => invalidInput(detail, toValidationIssues(errors))),
  );
