/**
 * One step of the database schema. A version is applied once, in a transaction, and never edited
 * after it was released: a change is a new version. The SQL lives in TypeScript so that `tsc`
 * ships it to `dist` with the code, and ts-node finds it in `src`.
 */
export interface Migration {
  /** 1, 2, 3 … in the order they are applied. */
  readonly version: number;
  readonly name: string;
  /** One or more statements; run with the simple query protocol, so no parameters. */
  readonly sql: string;
}
