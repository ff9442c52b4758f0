import type { Migration } from '../migration';

// Positions come from an identity column, so two instances writing at once can make a row
// visible after a row with a larger position: a follower that had passed it would miss it.
// Followers therefore read in (written_in, position) order, and only rows whose transaction is
// older than every transaction still running (the snapshot's xmin): any row that becomes
// visible later has a written_in at least that xmin, so it comes after every cursor handed out.
export const followedInCommitOrder: Migration = {
  version: 4,
  name: 'followed-in-commit-order',
  sql: `
ALTER TABLE processed_events ADD COLUMN written_in xid8 NOT NULL DEFAULT pg_current_xact_id();

COMMENT ON COLUMN processed_events.written_in IS
  'The transaction that stored the row: GET /events/stream follows rows in (written_in, position) order, only those of transactions older than every running one, so that none shows up behind a follower.';

CREATE INDEX processed_events_written_in_position ON processed_events (written_in, position);
`,
};
