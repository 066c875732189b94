-- Up Migration

-- The lead timeline read model: every event of every lead stream, in stream order, with its data as
-- the catalogue schema parsed it (a LeadScored keeps its breakdown, the score's explanation).
-- Leads captured before this table existed have no rows: rebuild it (scripts/rebuild-read-model lead_timeline).
CREATE TABLE lead_timeline (
  tenant_id text NOT NULL,
  lead_id uuid NOT NULL,
  stream_version int NOT NULL,
  event_id uuid NOT NULL,
  type text NOT NULL,
  schema_version int NOT NULL,
  recorded_at timestamptz NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (tenant_id, lead_id, stream_version)
);
