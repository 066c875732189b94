-- Up Migration

-- Reports count leads by capture day over periods of up to a year: the day as a stored column groups
-- cheaply (and the planner knows how many there are), and indexes that carry every column the counts
-- filter or group on answer them from the index alone (scripts/benchmark report-queries measures it).
-- The capture-time one also pages the lead list; status and owner narrow the funnel and workload.
ALTER TABLE leads ADD COLUMN captured_day date GENERATED ALWAYS AS ((captured_at AT TIME ZONE 'UTC')::date) STORED;

DROP INDEX leads_tenant_captured_at;
CREATE INDEX leads_tenant_captured_report ON leads (tenant_id, captured_at, lead_id)
  INCLUDE (captured_day, channel, campaign, source, status, grade, score, owner_id, pool_id, country, merged_into);
CREATE INDEX leads_tenant_status_report ON leads (tenant_id, status, captured_at, lead_id)
  INCLUDE (captured_day, channel, owner_id, pool_id, merged_into);
CREATE INDEX leads_tenant_owner_report ON leads (tenant_id, owner_id, captured_at, lead_id)
  INCLUDE (captured_day, status, pool_id, merged_into) WHERE owner_id IS NOT NULL;
