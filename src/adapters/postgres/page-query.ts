import type { ProcessedEventQuery } from '../../application/processed-event-store.port';
import { EVENT_COLUMNS } from './processed-event-row';

export interface Sql {
  readonly text: string;
  readonly values: unknown[];
}

/**
 * The query for one page, with only the filters asked for, so each combination matches one index
 * (`position`; `user_id, position`; `event_type, position`; all three). The positions are picked
 * first from that index alone, then their rows fetched: asked directly for whole rows, the planner
 * often walks the `position` index and filters, reading every row before a busy user's first
 * event (150 ms at a million rows, growing with the table). This way a page reads `limit + 1`
 * index entries and rows; the extra one only tells whether a next page exists.
 */
export function pageQuery(query: ProcessedEventQuery): Sql {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const where = (column: string, operator: string, value: unknown): void => {
    values.push(value);
    conditions.push(`${column} ${operator} $${values.length}`);
  };
  if (query.userId !== undefined) where('user_id', '=', query.userId);
  if (query.eventType !== undefined) where('event_type', '=', query.eventType);
  if (query.after !== undefined) where('position', '>', query.after);
  values.push(query.limit + 1);
  const filter = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
  const positions = `SELECT position FROM processed_events${filter} ORDER BY position LIMIT $${values.length}`;
  return {
    text: `SELECT ${EVENT_COLUMNS} FROM (${positions}) AS page JOIN processed_events USING (position) ORDER BY position`,
    values,
  };
}
