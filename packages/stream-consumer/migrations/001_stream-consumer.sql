-- Up Migration

-- The last version of each aggregate stream a consumer applied, written in the transaction of the
-- consumer's own writes: a replayed event is seen as one, and a missing one as a gap.
CREATE TABLE consumer_positions (
  consumer text NOT NULL,
  stream_id text NOT NULL,
  tenant_id text NOT NULL,
  version bigint NOT NULL,
  PRIMARY KEY (consumer, stream_id)
);

-- Commands a consumer decided in a batch, kept in that batch's transaction and sent after it commits;
-- a row still here after a crash is sent again by the sweeper (sending is idempotent).
CREATE TABLE consumer_outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  consumer text NOT NULL,
  command jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  attempts int NOT NULL DEFAULT 0
);
CREATE INDEX consumer_outbox_by_consumer ON consumer_outbox (consumer, id);
