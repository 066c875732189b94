-- Up Migration

-- Until this release the feed sorted transaction ids as text, and a consumer crossing 1,000, 10,000,
-- 100,000 … could skip events. Cursors saved before it carry NULL here; the relay checks those at start.
ALTER TABLE checkpoints ADD COLUMN feed_order text;

-- A request to move a feed consumer's cursor back (scripts/relay-republish); the consumer takes it.
CREATE TABLE checkpoint_rewinds (
  name text PRIMARY KEY,
  cursor text NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now()
);
