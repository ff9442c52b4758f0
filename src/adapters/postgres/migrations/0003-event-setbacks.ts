import type { Migration } from '../migration';

export const eventSetbacks: Migration = {
  version: 3,
  name: 'event-setbacks',
  sql: `
CREATE TABLE event_setbacks (
  event_id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('retrying', 'dead-lettered')),
  attempts integer,
  reason text,
  error text NOT NULL,
  at timestamptz NOT NULL,
  dead_letter_partition integer,
  dead_letter_offset bigint
);

COMMENT ON TABLE event_setbacks IS
  'The latest setback of an event that is not processed: its save retried (kind retrying, attempts) or given up on and dead-lettered (reason, where the dead letter is). Kept after the event is processed: its processed row comes first.';
`,
};
