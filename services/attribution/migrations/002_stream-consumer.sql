-- Up Migration
-- The stream versions attribution applied move to the consumer kit's positions (consumer 'attribution',
-- see attribution-consumer.ts), so a stream applied before is not applied again from its first event.
-- last_version was the last event of a type attribution reads; the kit back-fills the versions after it
-- from the store, and only moves its position over those of other types. Rows a merge or a conversion
-- created (version 0) have no position yet. consumer_positions exists: migrateAttribution runs the kit's
-- migrations first.
INSERT INTO consumer_positions (consumer, stream_id, tenant_id, version)
SELECT 'attribution', 'lead-' || lead_id::text, tenant_id, last_version
  FROM attribution_leads WHERE last_version > 0
UNION ALL
SELECT 'attribution', 'opportunity-' || opportunity_id::text, tenant_id, last_version
  FROM attribution_journeys WHERE last_version > 0
ON CONFLICT (consumer, stream_id) DO NOTHING;

ALTER TABLE attribution_leads DROP COLUMN last_version;
ALTER TABLE attribution_journeys DROP COLUMN last_version;
