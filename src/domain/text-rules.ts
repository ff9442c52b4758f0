// C0 controls, DEL and C1 controls: matching them is the point.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/u;
// With the `u` flag a well-formed surrogate pair is one code point, so only lone halves match.
const LONE_SURROGATE = /\p{Cs}/u;

/** Length in Unicode code points, which is what a person counts as characters. */
export const codePointLength = (value: string): number => Array.from(value).length;

/** Why `value` is not acceptable as a length-bounded single-line text, or undefined when it is. */
export function textProblem(value: string, maxLength: number): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.trim().length === 0) return 'must not be blank';
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode';
  if (CONTROL_CHARACTER.test(value)) return 'must not contain control characters';
  // A string never has more code points than UTF-16 units: most need no counting.
  if (value.length > maxLength && codePointLength(value) > maxLength) {
    return `must be at most ${maxLength} characters`;
  }
  return undefined;
}
