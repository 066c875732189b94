-- Up Migration

-- Per-tenant API keys. Only a SHA-256 of the secret is kept: the plaintext key is shown once, at
-- creation, and a leaked table does not let anyone call the API. Revoked keys stay for the audit trail.
CREATE TABLE api_keys (
  key_id text PRIMARY KEY,
  tenant_id text NOT NULL,
  name text NOT NULL,
  key_hash bytea NOT NULL CHECK (octet_length(key_hash) = 32),
  scopes text[] NOT NULL CHECK (cardinality(scopes) > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

CREATE INDEX api_keys_tenant ON api_keys (tenant_id, created_at);
