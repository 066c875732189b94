-- Up Migration
-- What scoring knows of each lead, folded from the lead topic: the scoring input, the stream version
-- last applied (a redelivered event at or below it is skipped), the score last sent to the lead and
-- when it is due to be scored again (decay, a rule change, or a retry of a claim that was never finished).
CREATE TABLE scoring_leads (
  lead_id               uuid        PRIMARY KEY,
  tenant_id             text        NOT NULL,
  profile               jsonb       NOT NULL,
  first_touch           jsonb       NULL,
  activities            jsonb       NOT NULL DEFAULT '[]',
  captured_at           timestamptz NULL,
  last_version          int         NOT NULL,
  merged_into           uuid        NULL,
  last_score            int         NULL,
  last_grade            text        NULL,
  last_rule_set_version int         NULL,
  last_scored_at        timestamptz NULL,
  next_rescore_at       timestamptz NULL,
  rescore_trigger       text        NOT NULL DEFAULT 'decay',
  -- Bumped by every change of the schedule, so a rescorer only moves a schedule it claimed.
  schedule_seq          bigint      NOT NULL DEFAULT 0
);

-- The rescore scheduler claims the leads due first.
CREATE INDEX scoring_leads_due ON scoring_leads (next_rescore_at) WHERE next_rescore_at IS NOT NULL;
-- What-if samples a tenant's most recent leads.
CREATE INDEX scoring_leads_recent ON scoring_leads (tenant_id, captured_at DESC) WHERE merged_into IS NULL;
