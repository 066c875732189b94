-- Up Migration
-- Imports that keep failing for a reason outside the file are retried later, a bounded number of
-- times, then failed; processors pick the next import by tenant, the least recently served first.
ALTER TABLE imports
  ADD COLUMN claimed_at      timestamptz NULL,
  -- Runs in a row that ended in a transient failure with no row gained; progress starts it over.
  ADD COLUMN failed_attempts int         NOT NULL DEFAULT 0,
  -- The limit of the processor that claimed it last, shown with the count.
  ADD COLUMN max_attempts    int         NULL,
  ADD COLUMN last_error      text        NULL,
  ADD COLUMN retry_at        timestamptz NULL;

-- When a tenant was last served, and which tenants hold a leased import now.
CREATE INDEX imports_tenant_claimed ON imports (tenant_id, claimed_at);
CREATE INDEX imports_leased ON imports (tenant_id, lease_expires_at) WHERE status = 'processing';
