-- Up Migration
-- A tenant without a row uses the defaults: no default country, every match rule in the standard order.
CREATE TABLE tenant_ingestion_settings (
  tenant_id       text        PRIMARY KEY,
  default_country text        NULL CHECK (default_country ~ '^[A-Z]{2}$'),
  match_rules     text[]      NOT NULL
    CHECK (match_rules <@ ARRAY['email', 'phone', 'external_id', 'domain_and_name']::text[]),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
