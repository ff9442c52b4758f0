import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';

/**
 * Rejects objects with keys the codec does not declare. io-ts' `exact` and `strict` strip such
 * keys silently; the contract wants a typo to surface as an error instead.
 */
export function withoutExcessKeys<A, O>(
  codec: t.Type<A, O, unknown>,
  declaredKeys: readonly string[],
): t.Type<A, O, unknown> {
  const declared = new Set(declaredKeys);
  return new t.Type<A, O, unknown>(
    codec.name,
    codec.is,
    (input, context) => {
      if (!t.UnknownRecord.is(input)) return t.failure(input, context, 'must be a JSON object');
      const excess = Object.keys(input).filter((key) => !declared.has(key));
      const decoded = codec.validate(input, context);
      if (excess.length === 0) return decoded;
      const excessErrors = excess.map((key) => ({
        value: input[key],
        context: [...context, { key, type: t.never, actual: input[key] }],
        message: 'is not a known field',
      }));
      return t.failures([...(isLeft(decoded) ? decoded.left : []), ...excessErrors]);
    },
    codec.encode,
  );
}
