import type { Migration } from '../migration';

export const processedEvents: Migration = {
  version: 1,
  name: 'processed-events',
  sql: `
CREATE TABLE processed_events (
  event_id uuid PRIMARY KEY,
  position bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  user_id text NOT NULL,
  event_type text NOT NULL,
  event_timestamp text NOT NULL,
  payload json NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON COLUMN processed_events.position IS
  'Processing order: the ProcessingPosition behind the page cursor of GET /events/processed.';
COMMENT ON COLUMN processed_events.event_timestamp IS
  'The event''s ISO 8601 timestamp exactly as it arrived; timestamptz would normalise its format.';
COMMENT ON COLUMN processed_events.payload IS
  'json, not jsonb: jsonb rejects \\u0000 and lone surrogates, which valid payloads may contain.';

-- Each filter of a page query walks one index in position order and stops after limit + 1 rows.
CREATE INDEX processed_events_user_position ON processed_events (user_id, position);
CREATE INDEX processed_events_type_position ON processed_events (event_type, position);
CREATE INDEX processed_events_user_type_position
  ON processed_events (user_id, event_type, position);
`,
};
