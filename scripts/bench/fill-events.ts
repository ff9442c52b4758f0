import type { Client } from 'pg';

/** The busiest user: 5% of all rows, every one of them in the newest fifth of the table. */
export const BUSIEST_USER = 'user-00000';
/** A user in the middle of the skew, with about 70 events per million spread over the table. */
export const ORDINARY_USER = 'user-05000';
/** A type of about 3.7% of the rows, spread over the table. */
export const COMMON_TYPE = 'PURCHASE';
/** A type of about 0.05% of the rows (some 500 per million), spread over the table. */
export const RARE_TYPE = 'ACCOUNT_DELETED';

// Nineteen types picked with a skew (PAGE_VIEW about 23%, SUPPORT_TICKET about 1.3%) plus the
// rare one: twenty in all.
const TYPES = `ARRAY['PAGE_VIEW', 'CLICK', 'SEARCH', 'PRODUCT_VIEW', 'ADD_TO_CART', 'LOGIN',
  'LOGOUT', 'REMOVE_FROM_CART', 'CHECKOUT_STARTED', 'PURCHASE', 'SIGNUP', 'PROFILE_UPDATED',
  'PASSWORD_RESET', 'REVIEW_POSTED', 'WISHLIST_ADD', 'SHARE', 'COUPON_APPLIED',
  'SUBSCRIPTION_STARTED', 'SUPPORT_TICKET']`;

// One statement, so a million rows take seconds rather than a million round trips. The random
// draws sit in a subquery of their own: volatile, it is not flattened, so each row draws anew.
// Users 00001–09999 follow a power law (random()^2: user-00001 has about 1%, the tail about 50
// per million); positions follow generate_series order, timestamps rise 31 s per row (about a
// year per million), and ids are random v4 UUIDs, as clients send them.
const FILL = `INSERT INTO processed_events (event_id, user_id, event_type, event_timestamp, payload)
SELECT gen_random_uuid(),
  CASE WHEN i > 0.8 * $1::int AND r_busy < 0.25 THEN '${BUSIEST_USER}'
       ELSE 'user-' || lpad((1 + floor(9999 * r_user ^ 2))::int::text, 5, '0') END,
  CASE WHEN r_rare < 0.0005 THEN '${RARE_TYPE}'
       ELSE (${TYPES})[1 + floor(19 * r_type ^ 2)::int] END,
  to_char(timestamp '2024-01-01' + i * interval '31 seconds' + r_ms * interval '1 second',
          'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  json_build_object('sessionId', left(md5(i::text), 16), 'ip', '10.0.' || i % 250 || '.' || i % 7,
                    'durationMs', i % 5000)
FROM (SELECT i, random() AS r_busy, random() AS r_user, random() AS r_rare, random() AS r_type,
             random() AS r_ms
        FROM generate_series(1, $1::int) AS i) AS draws`;

/**
 * Fills the (migrated, empty) table with `rows` events and analyzes it. With `vacuum` it is also
 * vacuumed, as autovacuum leaves a table that has been live a while: its visibility map set,
 * which the index-only scans of the page query rely on. Without, it is as right after a bulk
 * load or a restore.
 */
export async function fillEvents(client: Client, rows: number, vacuum: boolean): Promise<void> {
  // The bench sets the table's state itself; autovacuum would change it in the middle of a run.
  await client.query('ALTER TABLE processed_events SET (autovacuum_enabled = false)');
  // The same seed gives the same users and types on every run, so runs compare.
  await client.query('SELECT setseed(0.42)');
  await client.query(FILL, [rows]);
  await client.query(vacuum ? 'VACUUM (ANALYZE) processed_events' : 'ANALYZE processed_events');
}
