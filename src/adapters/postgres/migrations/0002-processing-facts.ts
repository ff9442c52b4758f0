import type { Migration } from '../migration';

export const processingFacts: Migration = {
  version: 2,
  name: 'processing-facts',
  sql: `
ALTER TABLE processed_events
  ADD COLUMN kafka_partition integer,
  ADD COLUMN kafka_offset bigint,
  ADD COLUMN deliveries integer NOT NULL DEFAULT 1,
  ADD COLUMN conflicts integer NOT NULL DEFAULT 0,
  ADD COLUMN last_conflict_at timestamptz,
  ADD COLUMN last_copy_conflicted boolean NOT NULL DEFAULT false;

COMMENT ON COLUMN processed_events.kafka_partition IS
  'Where the stored copy was read from; NULL when its bus has no positions (EVENT_BUS=memory).';
COMMENT ON COLUMN processed_events.deliveries IS
  'Copies of this event_id delivered so far: 1 plus the duplicates and conflicts.';
COMMENT ON COLUMN processed_events.last_copy_conflicted IS
  'Whether the latest later copy had other content: how a save learns, in its own statement, that its copy was a conflict.';

-- The domain's sameContent for payloads: the same JSON whatever the order of object keys. The
-- text is compared first (a retried request's copy is the same text); jsonb, which compares
-- objects by their members, refuses \\u0000 and lone surrogates, which json keeps: such payloads
-- are the same only as the same text.
CREATE FUNCTION same_json(a json, b json) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN a::text = b::text OR a::jsonb = b::jsonb;
EXCEPTION WHEN others THEN
  RETURN false;
END
$$;
`,
};
