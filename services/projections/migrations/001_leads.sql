-- Up Migration

-- The leads read model: one row per lead, rebuilt from the lead events. `version` is the stream
-- version of the last event applied, so a redelivered event is a no-op and a missed one is noticed.
CREATE TABLE leads (
  tenant_id text NOT NULL,
  lead_id uuid NOT NULL,
  status text NOT NULL,
  email text,
  phone text,
  first_name text,
  last_name text,
  job_title text,
  company_name text,
  company_domain text,
  channel text,
  source text,
  campaign text,
  captured_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version int NOT NULL,
  PRIMARY KEY (tenant_id, lead_id)
);

CREATE INDEX leads_tenant_status ON leads (tenant_id, status);
CREATE INDEX leads_tenant_captured_at ON leads (tenant_id, captured_at);
