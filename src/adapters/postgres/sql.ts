/** A parameterised statement: its text with $1, $2 … and the values in their order. */
export interface Sql {
  readonly text: string;
  readonly values: unknown[];
}
