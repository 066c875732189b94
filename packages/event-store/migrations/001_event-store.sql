-- Up Migration

-- One row per stream; every append writes it first, so concurrent appends to one stream
-- serialize on it and the expected-version check is a plain WHERE clause.
CREATE TABLE streams (
  stream_id text PRIMARY KEY,
  version bigint NOT NULL
);

CREATE TABLE events (
  global_position bigint GENERATED ALWAYS AS IDENTITY,
  -- Positions are taken at insert, not at commit; the feed orders by the writing transaction
  -- first so that an event committed late cannot slip behind a reader's cursor.
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id text NOT NULL,
  stream_version bigint NOT NULL,
  event_id uuid NOT NULL UNIQUE,
  type text NOT NULL,
  schema_version int NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stream_id, stream_version)
);

CREATE INDEX events_feed_order ON events (transaction_id, global_position);

-- Feed consumers (the relay) keep their position here, written after the downstream acknowledged.
CREATE TABLE checkpoints (
  name text PRIMARY KEY,
  cursor text NOT NULL,
  updated_at timestamptz
);
