-- Up Migration
-- The lead events consumer keeps its place in each lead stream in the consumer kit's consumer_positions
-- (created by migrateStreamConsumer, which migrateScoring runs first). Seeded from last_version, so no
-- lead is applied twice after the upgrade: events of other types since then move the position when the
-- kit back-fills them from the event store. The positions of the outcomes consumer start empty, which
-- back-fills each opportunity stream once; replaying its events changes no outcome.
INSERT INTO consumer_positions (consumer, stream_id, tenant_id, version)
SELECT 'scoring-lead-events', 'lead-' || lead_id::text, tenant_id, last_version FROM scoring_leads
ON CONFLICT (consumer, stream_id) DO NOTHING;

ALTER TABLE scoring_leads DROP COLUMN last_version;
