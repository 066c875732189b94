-- Up Migration
-- One CSV upload: the spooled file, how its columns map to a lead, and the progress of the processor
-- that holds its lease. Rows up to last_row are counted and never re-run after a restart.
CREATE TABLE imports (
  id               uuid        PRIMARY KEY,
  tenant_id        text        NOT NULL,
  status           text        NOT NULL CHECK (status IN ('received', 'processing', 'completed', 'failed')),
  file_path        text        NOT NULL,
  file_name        text        NULL,
  file_bytes       bigint      NOT NULL,
  file_sha256      text        NOT NULL,
  delimiter        text        NOT NULL,
  columns          text[]      NOT NULL,
  mapping          jsonb       NOT NULL,
  defaults         jsonb       NOT NULL,
  total_rows       int         NULL,
  processed_rows   int         NOT NULL DEFAULT 0,
  accepted_rows    int         NOT NULL DEFAULT 0,
  merged_rows      int         NOT NULL DEFAULT 0,
  duplicate_rows   int         NOT NULL DEFAULT 0,
  rejected_rows    int         NOT NULL DEFAULT 0,
  last_row         int         NOT NULL DEFAULT 1,
  lease_owner      text        NULL,
  lease_expires_at timestamptz NULL,
  attempts         int         NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz NULL,
  finished_at      timestamptz NULL,
  error            text        NULL
);

-- Processors look for unfinished imports, oldest first.
CREATE INDEX imports_unfinished ON imports (created_at) WHERE status IN ('received', 'processing');
CREATE INDEX imports_tenant ON imports (tenant_id, created_at);

-- One line per error of a rejected row; the key makes a re-run of a row after a crash a no-op.
CREATE TABLE import_rejections (
  import_id   uuid     NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  row_number  int      NOT NULL,
  error_index smallint NOT NULL,
  field       text     NOT NULL,
  reason      text     NOT NULL,
  raw         jsonb    NOT NULL,
  PRIMARY KEY (import_id, row_number, error_index)
);
