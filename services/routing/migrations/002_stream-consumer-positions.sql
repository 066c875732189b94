-- Up Migration
-- Routing's lead consumer runs on the consumer kit, which keeps each lead stream's applied version in
-- consumer_positions (migrateRouting creates the kit's tables first). Its positions start where
-- routing_leads.last_version left them, so the kit neither applies old events again nor back-fills
-- what routing already applied. Old and new replicas must not run at once across this migration.
INSERT INTO consumer_positions (consumer, stream_id, tenant_id, version)
SELECT 'routing-lead-events', 'lead-' || lead_id::text, tenant_id, last_version
  FROM routing_leads
 WHERE last_version > 0
ON CONFLICT (consumer, stream_id) DO NOTHING;

-- `reservation` now means "decided, its LeadAssigned not seen yet", cleared by the lead's next ownership
-- event; it used to stay after its LeadAssigned. One whose trigger is still the last event applied may
-- not have been sent (a redelivered trigger used to re-send it; the kit skips redeliveries): it goes to
-- the outbox, whose sweep sends it, and the Lead answers one it already has with nothing.
UPDATE routing_leads SET reservation = NULL
 WHERE reservation IS NOT NULL AND (reservation ->> 'triggerVersion')::int < last_version;

INSERT INTO consumer_outbox (consumer, command)
SELECT 'routing-lead-events',
       jsonb_build_object(
         'type', 'AssignLead',
         'now', reservation ->> 'decidedAt',
         'correlationId', 'routing-upgrade:' || lead_id::text,
         'data', jsonb_strip_nulls(jsonb_build_object(
           'leadId', lead_id::text,
           'tenantId', tenant_id,
           'ownerId', reservation ->> 'ownerId',
           'poolId', reservation ->> 'poolId',
           'ruleId', reservation ->> 'ruleId',
           'strategy', reservation ->> 'strategy',
           'reason', reservation ->> 'reason',
           'responseDueAt', reservation ->> 'responseDueAt')))
  FROM routing_leads
 WHERE reservation IS NOT NULL;

-- A reservation's SLA timer is now set with it, not when its LeadAssigned arrives.
INSERT INTO routing_timers (lead_id, assigned_at, owner_id, tenant_id, pool_id, due_at)
SELECT lead_id, (reservation ->> 'decidedAt')::timestamptz, reservation ->> 'ownerId', tenant_id,
       reservation ->> 'poolId', (reservation ->> 'responseDueAt')::timestamptz
  FROM routing_leads
 WHERE reservation IS NOT NULL
ON CONFLICT (lead_id, assigned_at) DO NOTHING;

ALTER TABLE routing_leads DROP COLUMN last_version;
