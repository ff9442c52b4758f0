import type { ProcessedEventQuery } from '../../application/processed-event-store.port';
import { EVENT_COLUMNS } from './processed-event-row';
import type { Sql } from './sql';

// Positions start at 1, so "after 0" is the first page.
const FIRST_PAGE = 0;

/**
 * The query for one page, written so that exactly one index can give its order: the filtered
 * columns and `position` are compared and sorted as one row, `(user_id, position) > ($1, $after)
 * AND user_id <= $1 ORDER BY user_id, position`, which only the `(user_id, position)` index
 * serves (likewise `event_type`, and both). Written as `user_id = $1 … ORDER BY position`, the
 * planner may walk the `position` index and filter instead, reading every row before a busy
 * user's first one (100 ms at a million rows, docs/postgres-page-query.md). A page reads
 * `limit + 1` index entries; the extra one only tells whether a next page exists.
 */
export function pageQuery(query: ProcessedEventQuery): Sql {
  const keys: Array<readonly [string, unknown]> = [];
  if (query.userId !== undefined) keys.push(['user_id', query.userId]);
  if (query.eventType !== undefined) keys.push(['event_type', query.eventType]);
  const values: unknown[] = [...keys.map(([, value]) => value), query.after ?? FIRST_PAGE];
  const params = values.map((_, index) => `$${index + 1}`);
  const columns = [...keys.map(([column]) => column), 'position'];
  const conditions = [`(${columns.join(', ')}) > (${params.join(', ')})`];
  if (keys.length > 0) {
    const keyColumns = columns.slice(0, keys.length).join(', ');
    conditions.push(`(${keyColumns}) <= (${params.slice(0, keys.length).join(', ')})`);
  }
  values.push(query.limit + 1);
  return {
    text: `SELECT ${EVENT_COLUMNS} FROM processed_events WHERE ${conditions.join(' AND ')} ORDER BY ${columns.join(', ')} LIMIT $${values.length}`,
    values,
  };
}
