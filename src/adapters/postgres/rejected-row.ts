// The one conflict the insert expects is on the primary key, and ON CONFLICT turns it into a
// duplicate; were it ever raised (a race the statement did not cover), a retry settles it.
const EVENT_ID_CONFLICT = { code: '23505', constraint: 'processed_events_pkey' } as const;

/**
 * True when PostgreSQL refused the rows themselves, so that the same rows would be refused
 * again: SQLSTATE class 22 (data exception: a value a column cannot hold) and class 23 (integrity
 * constraint violation: NOT NULL, CHECK, foreign and unique keys) but for the event id conflict.
 * Every other class is about the database, not the data, and may pass: 08 connection, 40
 * rollback, 53 insufficient resources, 57 operator intervention, 42 a schema out of date.
 */
export function isRejectedRow(cause: unknown): boolean {
  const { code, constraint } = (cause ?? {}) as { code?: unknown; constraint?: unknown };
  if (typeof code !== 'string') return false;
  if (code === EVENT_ID_CONFLICT.code && constraint === EVENT_ID_CONFLICT.constraint) return false;
  return code.startsWith('22') || code.startsWith('23');
}
