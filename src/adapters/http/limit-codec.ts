import * as t from 'io-ts';

/** A `limit` query parameter: a whole number from 1 to `max`, given as text. */
export const limitUpTo = (max: number): t.Type<number, string, unknown> =>
  new t.Type<number, string, unknown>(
    'Limit',
    (input): input is number => typeof input === 'number',
    (input, context) =>
      typeof input === 'string' &&
      /^\d{1,9}$/.test(input) &&
      Number(input) >= 1 &&
      Number(input) <= max
        ? t.success(Number(input))
        : t.failure(input, context, `must be a whole number from 1 to ${max}`),
    String,
  );
