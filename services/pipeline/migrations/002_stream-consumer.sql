-- Up Migration
-- The opportunity view's stream versions move to the consumer kit's positions (consumer
-- 'pipeline-opportunity-view', see opportunity-consumer.ts), so a stream the view has applied is not
-- applied again from its first event. consumer_positions exists: migratePipeline runs the kit's migrations first.
INSERT INTO consumer_positions (consumer, stream_id, tenant_id, version)
SELECT 'pipeline-opportunity-view', 'opportunity-' || opportunity_id::text, tenant_id, last_version
  FROM pipeline_opportunities
ON CONFLICT (consumer, stream_id) DO NOTHING;

ALTER TABLE pipeline_opportunities DROP COLUMN last_version;
