import * as t from 'io-ts';
import * as E from 'fp-ts/Either';
import { optional } from '../domain/codec-combinators';

/** An environment variable's text turned into a value, with a rule a person can read. */
const fromText = <A>(
  name: string,
  parse: (text: string) => A | undefined,
  rule: string,
): t.Type<A, string, unknown> =>
  new t.Type<A, string, unknown>(
    name,
    (input): input is A => input !== undefined,
    (input, context) => {
      const parsed = typeof input === 'string' ? parse(input.trim()) : undefined;
      return parsed === undefined ? t.failure(input, context, rule) : t.success(parsed);
    },
    String,
  );

/**
 * The one rule for empty variables: `NAME=` in a `.env` file or a compose file means "not set",
 * for every variable, so an empty one is read as an absent one.
 */
const emptyIsUnset = <A, O>(codec: t.Type<A, O, unknown>): t.Type<A, O, unknown> =>
  new t.Type<A, O, unknown>(
    codec.name,
    codec.is,
    (input, context) => codec.validate(input === '' ? undefined : input, context),
    codec.encode,
  );

/** Undefined when the variable is unset or empty. */
export const unsetOr = <A>(
  codec: t.Type<A, string, unknown>,
): t.Type<A | undefined, string | undefined, unknown> => emptyIsUnset(optional(codec));

/** Uses `fallback` when the variable is unset or empty. */
export const withDefault = <A>(
  codec: t.Type<A, string, unknown>,
  fallback: A,
): t.Type<A, string | undefined, unknown> => {
  const absent = unsetOr(codec);
  return new t.Type<A, string | undefined, unknown>(
    codec.name,
    codec.is,
    (input, context) =>
      E.map((value: A | undefined) => value ?? fallback)(absent.validate(input, context)),
    codec.encode,
  );
};

export const integer = (min: number, max: number): t.Type<number, string, unknown> =>
  fromText(
    'integer',
    (text) =>
      /^\d+$/.test(text) && Number(text) >= min && Number(text) <= max ? Number(text) : undefined,
    `must be a whole number from ${min} to ${max}`,
  );

export const oneOf = <K extends string>(...choices: readonly K[]): t.Type<K, string, unknown> =>
  fromText(
    'choice',
    (text) => choices.find((choice) => choice === text),
    `must be one of ${choices.join(', ')}`,
  );

/** What an item of a list must be: a pattern, or any other test of its text. */
export interface ItemRule {
  test(text: string): boolean;
}

/** Comma-separated, blanks ignored; at least one item that satisfies `item`. */
export const list = (item: ItemRule, rule: string): t.Type<string[], string, unknown> =>
  fromText(
    'list',
    (text) => {
      const items = text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '');
      return items.length > 0 && items.every((part) => item.test(part)) ? items : undefined;
    },
    rule,
  );

export const nonEmptyText = (pattern: RegExp, rule: string): t.Type<string, string, unknown> =>
  fromText('text', (text) => (pattern.test(text) ? text : undefined), rule);

/** A decimal from 0 to 1, as OpenTelemetry's sampler ratio. */
export const ratio: t.Type<number, string, unknown> = fromText(
  'ratio',
  (text) => (/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(text) ? Number(text) : undefined),
  'must be a number from 0 to 1',
);
