import type { FollowQuery } from '../../application/processed-event-store.port';
import { EVENT_COLUMNS } from './processed-event-row';
import type { Sql } from './sql';

/**
 * The next rows of a follower (migration 0004): at most `limit` rows after its cursor in
 * (written_in, position) order, of transactions older than every running one, each flagged
 * whether it matches the filters. The caller keeps the matching ones and moves past them all.
 */
export function followQuery(query: FollowQuery): Sql {
  return {
    text: `SELECT ${EVENT_COLUMNS}, written_in::text AS written_in,
  ($4::text IS NULL OR user_id = $4) AND ($5::text IS NULL OR event_type = $5) AS matching
FROM processed_events
WHERE (written_in, position) > ($1::xid8, $2::bigint)
  AND written_in < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY written_in, position
LIMIT $3`,
    values: [
      query.after?.group ?? '0',
      query.after?.position ?? 0,
      query.limit,
      query.userId ?? null,
      query.eventType ?? null,
    ],
  };
}

/** The cursor after every row a follower may read now. */
export const FOLLOWING_END = `SELECT written_in::text AS written_in, position FROM processed_events
WHERE written_in < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY written_in DESC, position DESC
LIMIT 1`;
