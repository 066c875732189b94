-- Up Migration

-- What scoring, routing and the reps add to a lead's row: score and grade, qualification, the owner
-- and their first-response deadline, and how the lead ended (sales-qualified, converted, disqualified).
ALTER TABLE leads
  ADD COLUMN stage text NOT NULL DEFAULT 'new',
  ADD COLUMN score int,
  ADD COLUMN grade text,
  ADD COLUMN scored_at timestamptz,
  ADD COLUMN qualified_at timestamptz,
  ADD COLUMN owner_id text,
  ADD COLUMN pool_id text,
  ADD COLUMN assigned_at timestamptz,
  ADD COLUMN first_assigned_at timestamptz,
  ADD COLUMN response_due_at timestamptz,
  ADD COLUMN responded_at timestamptz,
  ADD COLUMN last_contacted_at timestamptz,
  ADD COLUMN recycle_count int NOT NULL DEFAULT 0,
  ADD COLUMN sla_breaches int NOT NULL DEFAULT 0,
  ADD COLUMN escalated_at timestamptz,
  ADD COLUMN sales_qualified_at timestamptz,
  ADD COLUMN converted_at timestamptz,
  ADD COLUMN opportunity_id uuid,
  ADD COLUMN disqualified_at timestamptz,
  ADD COLUMN disqualification_reason text;

-- The status follows from the other columns, so no event handler can leave it out of step with them:
-- the stage, refined by ownership while the lead is marketing-qualified. Merged wins over everything.
ALTER TABLE leads DROP COLUMN status;
ALTER TABLE leads ADD COLUMN status text NOT NULL GENERATED ALWAYS AS (
  CASE
    WHEN merged_into IS NOT NULL THEN 'merged'
    WHEN stage = 'new' THEN 'captured'
    WHEN stage = 'mql' AND owner_id IS NOT NULL AND responded_at IS NOT NULL THEN 'working'
    WHEN stage = 'mql' AND owner_id IS NOT NULL THEN 'assigned'
    ELSE stage
  END
) STORED;

-- The status column's index went with the old column; 007 adds the report indexes.
CREATE INDEX leads_tenant_channel_captured ON leads (tenant_id, channel, captured_at, lead_id);
