import type { Pool } from 'pg';
import type {
  ProcessedEventPage,
  ProcessedEventQuery,
} from '../../src/application/processed-event-store.port';
import type { UserEvent } from '../../src/domain/user-event';
import type { Sql } from '../../src/adapters/postgres/sql';
import {
  decodeRow,
  EVENT_COLUMNS,
  type Row,
} from '../../src/adapters/postgres/processed-event-row';

/** The filters of `query` as a WHERE clause ('' for none) and its parameters. */
export function whereClause(query: Omit<ProcessedEventQuery, 'limit'>): Sql {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const where = (column: string, operator: string, value: unknown): void => {
    values.push(value);
    conditions.push(`${column} ${operator} $${values.length}`);
  };
  if (query.userId !== undefined) where('user_id', '=', query.userId);
  if (query.eventType !== undefined) where('event_type', '=', query.eventType);
  if (query.after !== undefined) where('position', '>', query.after);
  return { text: conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`, values };
}

/** The baseline: whole rows asked for directly, leaving the planner to pick the index. */
export function naivePageQuery(query: ProcessedEventQuery): Sql {
  const { text, values } = whereClause(query);
  return {
    text: `SELECT ${EVENT_COLUMNS} FROM processed_events${text} ORDER BY position LIMIT $${values.length + 1}`,
    values: [...values, query.limit + 1],
  };
}

/** A page the naive way, decoded exactly as the store decodes it, so only the SQL differs. */
export async function naiveList(
  pool: Pool,
  query: ProcessedEventQuery,
): Promise<ProcessedEventPage> {
  const { text, values } = naivePageQuery(query);
  const { rows } = await pool.query<Row>(text, values);
  const page = rows.slice(0, query.limit).map(decodeRow);
  return {
    events: page.map((stored) => stored.event),
    next: rows.length > query.limit ? page.at(-1)?.position : undefined,
  };
}

// Looking one row up by its primary key has no cleverer form: the store sends this very SQL, so
// this pair measures the noise of the run (a ratio near 1).
const FIND = `SELECT ${EVENT_COLUMNS} FROM processed_events WHERE event_id = $1`;

export async function naiveFindById(pool: Pool, eventId: string): Promise<UserEvent | undefined> {
  const { rows } = await pool.query<Row>(FIND, [eventId]);
  const row = rows[0];
  return row === undefined ? undefined : decodeRow(row).event;
}
