-- Up Migration

-- The funnel read model: one row per lead with the time it first reached each step, so "as of" a past
-- date is a WHERE on those times, not a replay. Won lives on the opportunity's stream: funnel_wins keeps
-- each win with the time a reopen undid it, joined to the lead through opportunity_id at query time
-- (the two streams reach us on different topics, in no fixed order).
CREATE TABLE funnel_leads (
  tenant_id text NOT NULL,
  lead_id uuid NOT NULL,
  channel text NOT NULL,
  source text,
  campaign text,
  team text,
  captured_at timestamptz NOT NULL,
  -- The capture day (UTC) groups cheaply: periods group by day first, weeks and months merge days after.
  captured_day date GENERATED ALWAYS AS ((captured_at AT TIME ZONE 'UTC')::date) STORED,
  mql_at timestamptz,
  sql_at timestamptz,
  converted_at timestamptz,
  opportunity_id uuid,
  disqualified_at timestamptz,
  merged_at timestamptz,
  PRIMARY KEY (tenant_id, lead_id)
);

-- Every funnel report reads a tenant's cohort by capture time; the index carries every other column it
-- needs, so the counts come from the index alone (scripts/benchmark report-queries).
CREATE INDEX funnel_leads_report ON funnel_leads (tenant_id, captured_at)
  INCLUDE (captured_day, channel, source, campaign, team, mql_at, sql_at, converted_at, merged_at);
-- Wins are few: the won step is counted from them, joined to their leads through this index.
CREATE INDEX funnel_leads_opportunity ON funnel_leads (tenant_id, opportunity_id) WHERE opportunity_id IS NOT NULL;

CREATE TABLE funnel_wins (
  tenant_id text NOT NULL,
  opportunity_id uuid NOT NULL,
  won_at timestamptz NOT NULL,
  reopened_at timestamptz,
  PRIMARY KEY (tenant_id, opportunity_id, won_at)
);

-- The response read model: one row per assignment of a lead to a rep (keyed by the LeadAssigned's
-- stream version), with the owner's first answer, the breach if the deadline passed first, and how the
-- assignment ended. The lead's channel and campaign are copied in from its capture (same stream, so
-- always known first), for the dashboard's channel filter.
CREATE TABLE response_leads (
  tenant_id text NOT NULL,
  lead_id uuid NOT NULL,
  channel text NOT NULL,
  campaign text,
  PRIMARY KEY (tenant_id, lead_id)
);

CREATE TABLE response_assignments (
  tenant_id text NOT NULL,
  lead_id uuid NOT NULL,
  assigned_version int NOT NULL,
  owner_id text NOT NULL,
  team text NOT NULL,
  channel text NOT NULL,
  campaign text,
  assigned_at timestamptz NOT NULL,
  due_at timestamptz,
  responded_at timestamptz,
  response text,
  breached_at timestamptz,
  ended_at timestamptz,
  end_reason text,
  PRIMARY KEY (tenant_id, lead_id, assigned_version)
);

CREATE INDEX response_assignments_report ON response_assignments (tenant_id, assigned_at)
  INCLUDE (owner_id, team, channel, due_at, responded_at, breached_at, ended_at);
-- A lead has at most one open assignment: the current owner's. Workload counts them per rep.
CREATE UNIQUE INDEX response_assignments_open ON response_assignments (tenant_id, lead_id) WHERE ended_at IS NULL;
CREATE INDEX response_assignments_workload ON response_assignments (tenant_id, owner_id)
  INCLUDE (team, channel, responded_at) WHERE ended_at IS NULL;

DO $$
DECLARE
  reporting text := current_schema() || '_reporting';
BEGIN
  EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', reporting);

  EXECUTE format($sql$
    CREATE VIEW %I.funnel_leads AS
    SELECT f.tenant_id, f.lead_id, f.channel, f.source, f.campaign, f.team, f.captured_at, f.mql_at, f.sql_at,
      f.converted_at, f.opportunity_id, w.won_at, f.disqualified_at, f.merged_at
    FROM funnel_leads f
    LEFT JOIN funnel_wins w
      ON w.tenant_id = f.tenant_id AND w.opportunity_id = f.opportunity_id AND w.reopened_at IS NULL
  $sql$, reporting);
  EXECUTE format('COMMENT ON VIEW %I.funnel_leads IS %L', reporting,
    'One row per lead with when it first reached each funnel step (captured, MQL, SQL, opportunity, won). '
    'For the funnel as of a date D count the steps reached at or before D; merged leads (merged_at) count as '
    'gone from merged_at on. won_at is the standing win (null if never won or reopened since); '
    'funnel_wins holds every win with its reopen, for won as of a past date.');
  EXECUTE format($sql$
    COMMENT ON COLUMN %1$I.funnel_leads.tenant_id IS 'The tenant the lead belongs to; filter on it.';
    COMMENT ON COLUMN %1$I.funnel_leads.channel IS 'Channel of the first touch.';
    COMMENT ON COLUMN %1$I.funnel_leads.source IS 'Source of the first touch (or its UTM source).';
    COMMENT ON COLUMN %1$I.funnel_leads.campaign IS 'Campaign of the first touch (or its UTM campaign).';
    COMMENT ON COLUMN %1$I.funnel_leads.team IS 'The pool (team) of the lead''s latest assignment; null if never assigned.';
    COMMENT ON COLUMN %1$I.funnel_leads.captured_at IS 'When the lead was captured: the cohort it belongs to.';
    COMMENT ON COLUMN %1$I.funnel_leads.mql_at IS 'When the lead first became marketing-qualified; a later revocation does not undo it.';
    COMMENT ON COLUMN %1$I.funnel_leads.sql_at IS 'When a rep first qualified the lead as sales-qualified.';
    COMMENT ON COLUMN %1$I.funnel_leads.converted_at IS 'When the lead became an opportunity (opportunity_id).';
    COMMENT ON COLUMN %1$I.funnel_leads.won_at IS 'When its opportunity was won, if that win stands.';
    COMMENT ON COLUMN %1$I.funnel_leads.disqualified_at IS 'When the lead was disqualified.';
    COMMENT ON COLUMN %1$I.funnel_leads.merged_at IS 'When the lead was merged into another; leave it out from then on.';
  $sql$, reporting);

  EXECUTE format($sql$
    CREATE VIEW %I.funnel_wins AS SELECT tenant_id, opportunity_id, won_at, reopened_at FROM funnel_wins
  $sql$, reporting);
  EXECUTE format('COMMENT ON VIEW %I.funnel_wins IS %L', reporting,
    'Every win of an opportunity; reopened_at is when a reopen undid it. Won as of D: won_at <= D AND '
    '(reopened_at IS NULL OR reopened_at > D). Join to funnel_leads on tenant_id and opportunity_id.');
  EXECUTE format($sql$
    COMMENT ON COLUMN %1$I.funnel_wins.tenant_id IS 'The tenant the opportunity belongs to; filter on it.';
    COMMENT ON COLUMN %1$I.funnel_wins.won_at IS 'When the opportunity was won.';
    COMMENT ON COLUMN %1$I.funnel_wins.reopened_at IS 'When the opportunity was reopened after this win; null while it stands.';
  $sql$, reporting);

  EXECUTE format($sql$
    CREATE VIEW %I.response_assignments AS
    SELECT tenant_id, lead_id, assigned_version, owner_id, team, channel, campaign, assigned_at, due_at,
      responded_at, response, breached_at, ended_at, end_reason,
      extract(epoch FROM responded_at - assigned_at) AS response_seconds,
      CASE
        WHEN responded_at IS NOT NULL AND (due_at IS NULL OR responded_at <= due_at) THEN 'met'
        WHEN responded_at IS NOT NULL THEN 'late'
        WHEN breached_at IS NOT NULL THEN 'breached'
        WHEN ended_at IS NOT NULL THEN 'ended'
        WHEN due_at < now() THEN 'overdue'
        ELSE 'pending'
      END AS sla_status
    FROM response_assignments
  $sql$, reporting);
  EXECUTE format('COMMENT ON VIEW %I.response_assignments IS %L', reporting,
    'One row per assignment of a lead to a rep, with the rep''s first response and the first-response SLA. '
    'SLA compliance = met / (met + late + breached + overdue). Open assignments (ended_at null) are the reps'' '
    'workload; the reps'' caps are routing configuration, not events, so they are not here.');
  EXECUTE format($sql$
    COMMENT ON COLUMN %1$I.response_assignments.tenant_id IS 'The tenant the lead belongs to; filter on it.';
    COMMENT ON COLUMN %1$I.response_assignments.assigned_version IS 'Stream version of the LeadAssigned: tells a lead''s assignments apart.';
    COMMENT ON COLUMN %1$I.response_assignments.owner_id IS 'The rep the lead was assigned to.';
    COMMENT ON COLUMN %1$I.response_assignments.team IS 'The pool (team) the rep was chosen from.';
    COMMENT ON COLUMN %1$I.response_assignments.channel IS 'Channel of the lead''s first touch.';
    COMMENT ON COLUMN %1$I.response_assignments.campaign IS 'Campaign of the lead''s first touch.';
    COMMENT ON COLUMN %1$I.response_assignments.assigned_at IS 'When the rep got the lead.';
    COMMENT ON COLUMN %1$I.response_assignments.due_at IS 'The first-response deadline; null when routing set none.';
    COMMENT ON COLUMN %1$I.response_assignments.responded_at IS 'When the rep first accepted or contacted the lead.';
    COMMENT ON COLUMN %1$I.response_assignments.response IS 'accepted or contacted: the rep''s first response.';
    COMMENT ON COLUMN %1$I.response_assignments.breached_at IS 'When the deadline passed without a response.';
    COMMENT ON COLUMN %1$I.response_assignments.ended_at IS 'When the assignment ended; null while the rep still owns the lead.';
    COMMENT ON COLUMN %1$I.response_assignments.end_reason IS 'reassigned, rejected, recycled, converted, disqualified or merged.';
    COMMENT ON COLUMN %1$I.response_assignments.response_seconds IS 'First-response time in seconds; null without a response.';
    COMMENT ON COLUMN %1$I.response_assignments.sla_status IS 'met, late, breached, ended (before any response or breach), overdue (open, deadline passed) or pending.';
  $sql$, reporting);

  -- 006 set default privileges for views created later, but only for the role that ran it: grant again.
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'l2o_reporting') THEN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO l2o_reporting', reporting);
    EXECUTE format('GRANT SELECT ON %1$I.funnel_leads, %1$I.funnel_wins, %1$I.response_assignments TO l2o_reporting', reporting);
  END IF;
END
$$;
