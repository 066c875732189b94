-- Up Migration
-- The first response to an HTTP request with an Idempotency-Key, replayed to its retries for 24 hours.
CREATE TABLE idempotency_keys (
  tenant_id       text        NOT NULL,
  key             text        NOT NULL,
  request_hash    text        NOT NULL,
  status          text        NOT NULL CHECK (status IN ('in_progress', 'completed')),
  response_status int         NULL,
  response_body   jsonb       NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  completed_at    timestamptz NULL,
  PRIMARY KEY (tenant_id, key)
);

-- Expired keys are deleted by age.
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
