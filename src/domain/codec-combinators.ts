import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';

/**
 * A codec that decodes with `base` and then applies `rule`, which names what is wrong in words a
 * client can act on. `B` is the branded type the rule establishes; the cast lives only here.
 */
export function withRule<B extends A, A, O = A>(
  name: string,
  base: t.Type<A, O, unknown>,
  rule: (value: A) => string | undefined,
): t.Type<B, O, unknown> {
  return new t.Type<B, O, unknown>(
    name,
    (input): input is B => base.is(input) && rule(input) === undefined,
    (input, context) => {
      const decoded = base.validate(input, context);
      if (isLeft(decoded)) return decoded;
      const problem = rule(decoded.right);
      return problem === undefined
        ? t.success(decoded.right as B)
        : t.failure(input, context, problem);
    },
    base.encode,
  );
}

/** A string codec whose failure says so plainly instead of printing io-ts type text. */
export const text = new t.Type<string, string, unknown>(
  'string',
  t.string.is,
  (input, context) =>
    typeof input === 'string' ? t.success(input) : t.failure(input, context, 'must be a string'),
  t.identity,
);

/** Accepts an absent value (undefined) as well as whatever `codec` accepts. */
export const optional = <A, O>(
  codec: t.Type<A, O, unknown>,
): t.Type<A | undefined, O | undefined, unknown> =>
  new t.Type<A | undefined, O | undefined, unknown>(
    `${codec.name} | undefined`,
    (input): input is A | undefined => input === undefined || codec.is(input),
    (input, context) =>
      input === undefined ? t.success(undefined) : codec.validate(input, context),
    (value) => (value === undefined ? undefined : codec.encode(value)),
  );
