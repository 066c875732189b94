-- Up Migration
-- Each normalized identity key (email, phone, source external id, company domain and name) points at
-- the lead it belongs to; the primary key serializes concurrent claims of one key.
CREATE TABLE lead_identities (
  tenant_id  text        NOT NULL,
  kind       text        NOT NULL CHECK (kind IN ('email', 'phone', 'external_id', 'domain_and_name')),
  value      text        NOT NULL,
  lead_id    uuid        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, kind, value)
);

-- Repointing a merged lead's keys and looking up a lead's keys go by lead.
CREATE INDEX lead_identities_lead ON lead_identities (tenant_id, lead_id);
