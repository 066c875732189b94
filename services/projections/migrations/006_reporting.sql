-- Up Migration

-- The reporting schema: documented SQL views over the read models for analysts and BI tools, and the
-- read-only role l2o_reporting that may use them and nothing else. The schema is named after the
-- service's (l2o → l2o_reporting), so environments and test suites sharing a database stay apart.
-- Every view carries tenant_id: filter on it. Personal contact data (email, phone, names) stays out.
--
-- An analyst's login, created once by an administrator (the role itself cannot log in):
--   CREATE ROLE ada LOGIN PASSWORD '…' IN ROLE l2o_reporting;
--   -- then connect as ada and: SELECT * FROM l2o_reporting.leads WHERE tenant_id = 'acme';
-- The views read the tables with their owner's rights, so the role needs no grant on the tables.

-- Roles are cluster-wide: several schemas (and several service replicas) migrate at once, so the
-- existence check can race; the loser's duplicate is harmless. An account that may not create roles
-- gets a warning instead, and an administrator runs the CREATE ROLE and the GRANTs below by hand.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'l2o_reporting') THEN
    BEGIN
      CREATE ROLE l2o_reporting NOLOGIN;
    EXCEPTION
      WHEN duplicate_object OR unique_violation THEN NULL;
      WHEN insufficient_privilege THEN
        RAISE WARNING 'cannot create role l2o_reporting: create it (NOLOGIN) and grant it the reporting schema by hand';
    END;
  END IF;
END
$$;

DO $$
DECLARE
  reporting text := current_schema() || '_reporting';
BEGIN
  EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', reporting);
  EXECUTE format('COMMENT ON SCHEMA %I IS %L', reporting,
    'Documented, read-only views over the L2O read models for analysts and BI tools. Every view has tenant_id.');

  -- Unqualified table names below resolve in the service's schema (the migration's search path).
  EXECUTE format($sql$
    CREATE VIEW %I.leads AS
    SELECT tenant_id, lead_id, status, stage, score, grade, channel, source, campaign, last_channel, last_campaign,
      company_name, company_domain, country, industry, company_size, consent_marketing, opted_out,
      owner_id, pool_id, touch_count, activity_count, captured_at, last_touch_at, last_activity_at, scored_at,
      qualified_at, first_assigned_at, assigned_at, response_due_at, responded_at, sla_breaches, recycle_count,
      escalated_at, sales_qualified_at, converted_at, opportunity_id, disqualified_at, disqualification_reason,
      merged_into, updated_at
    FROM leads
  $sql$, reporting);
  EXECUTE format('COMMENT ON VIEW %I.leads IS %L', reporting,
    'One row per lead with its current state, as of the last event applied. Without contact data.');
  EXECUTE format($sql$
    COMMENT ON COLUMN %1$I.leads.tenant_id IS 'The tenant the lead belongs to; filter on it.';
    COMMENT ON COLUMN %1$I.leads.lead_id IS 'The lead, as in the query API and the events.';
    COMMENT ON COLUMN %1$I.leads.status IS 'captured, mql (qualified, not yet owned), assigned (owned, no response yet), working (the owner responded), sql, converted, disqualified or merged.';
    COMMENT ON COLUMN %1$I.leads.stage IS 'new, mql, sql, converted or disqualified: the funnel stage, without ownership.';
    COMMENT ON COLUMN %1$I.leads.score IS 'The latest score, 0-100; null until scored.';
    COMMENT ON COLUMN %1$I.leads.grade IS 'The latest grade, A (best) to D; null until scored.';
    COMMENT ON COLUMN %1$I.leads.channel IS 'Channel of the first touch (web_form, api, csv_import, kafka_intake, event, partner, ad, other).';
    COMMENT ON COLUMN %1$I.leads.source IS 'Source of the first touch (or its UTM source).';
    COMMENT ON COLUMN %1$I.leads.campaign IS 'Campaign of the first touch (or its UTM campaign).';
    COMMENT ON COLUMN %1$I.leads.last_channel IS 'Channel of the latest touch by when it happened.';
    COMMENT ON COLUMN %1$I.leads.last_campaign IS 'Campaign of the latest touch by when it happened.';
    COMMENT ON COLUMN %1$I.leads.country IS 'The company''s country, ISO 3166-1 alpha-2.';
    COMMENT ON COLUMN %1$I.leads.company_size IS 'Number of employees.';
    COMMENT ON COLUMN %1$I.leads.owner_id IS 'The rep who owns the lead now; null when unowned.';
    COMMENT ON COLUMN %1$I.leads.pool_id IS 'The pool (team) the lead was last routed to or recycled into.';
    COMMENT ON COLUMN %1$I.leads.touch_count IS 'Touches so far, the capture included.';
    COMMENT ON COLUMN %1$I.leads.activity_count IS 'Behaviours recorded (page views, downloads, email clicks...).';
    COMMENT ON COLUMN %1$I.leads.captured_at IS 'When the lead was captured.';
    COMMENT ON COLUMN %1$I.leads.qualified_at IS 'When the lead first became marketing-qualified (MQL).';
    COMMENT ON COLUMN %1$I.leads.first_assigned_at IS 'When the lead was first assigned to a rep.';
    COMMENT ON COLUMN %1$I.leads.assigned_at IS 'When the current owner got the lead; null when unowned.';
    COMMENT ON COLUMN %1$I.leads.response_due_at IS 'The current owner''s first-response deadline.';
    COMMENT ON COLUMN %1$I.leads.responded_at IS 'When the current owner first accepted or contacted the lead.';
    COMMENT ON COLUMN %1$I.leads.sla_breaches IS 'First-response deadlines missed on this lead so far.';
    COMMENT ON COLUMN %1$I.leads.recycle_count IS 'Times the lead was taken from its owner and returned to a pool.';
    COMMENT ON COLUMN %1$I.leads.sales_qualified_at IS 'When a rep qualified the lead as sales-qualified (SQL).';
    COMMENT ON COLUMN %1$I.leads.converted_at IS 'When the lead became an opportunity (opportunity_id).';
    COMMENT ON COLUMN %1$I.leads.disqualified_at IS 'When the lead was disqualified (disqualification_reason).';
    COMMENT ON COLUMN %1$I.leads.merged_into IS 'The lead this one was merged into (status merged).';
    COMMENT ON COLUMN %1$I.leads.updated_at IS 'When the latest event of the lead was recorded.';
  $sql$, reporting);

  EXECUTE format($sql$
    CREATE VIEW %I.lead_events AS
    SELECT tenant_id, lead_id, stream_version, event_id, type, schema_version, recorded_at, data - 'contact' AS data
    FROM lead_timeline
  $sql$, reporting);
  EXECUTE format('COMMENT ON VIEW %I.lead_events IS %L', reporting,
    'Every event of every lead in stream order (ORDER BY lead_id, stream_version), its data as published, contact fields removed.');
  EXECUTE format($sql$
    COMMENT ON COLUMN %1$I.lead_events.tenant_id IS 'The tenant the lead belongs to; filter on it.';
    COMMENT ON COLUMN %1$I.lead_events.stream_version IS 'Position of the event in the lead''s stream, from 1.';
    COMMENT ON COLUMN %1$I.lead_events.type IS 'The event type, e.g. LeadCaptured, LeadScored, LeadAssigned.';
    COMMENT ON COLUMN %1$I.lead_events.schema_version IS 'Version of the event''s data schema (docs/events).';
    COMMENT ON COLUMN %1$I.lead_events.recorded_at IS 'When the platform recorded the event.';
    COMMENT ON COLUMN %1$I.lead_events.data IS 'The event data as in docs/events, without contact; a LeadScored holds its breakdown (the score''s explanation).';
  $sql$, reporting);

  EXECUTE format($sql$
    CREATE VIEW %I.leads_daily AS
    SELECT tenant_id, (captured_at AT TIME ZONE 'UTC')::date AS day, channel, campaign,
      count(*) AS captured,
      count(qualified_at) AS qualified,
      count(first_assigned_at) AS assigned,
      count(sales_qualified_at) AS sales_qualified,
      count(converted_at) AS converted,
      count(disqualified_at) AS disqualified
    FROM leads
    WHERE merged_into IS NULL
    GROUP BY tenant_id, day, channel, campaign
  $sql$, reporting);
  EXECUTE format('COMMENT ON VIEW %I.leads_daily IS %L', reporting,
    'Leads by capture day (UTC), channel and campaign, with how many of them reached each stage so far. Merged leads are left out: they live on in their survivor.');
  EXECUTE format($sql$
    COMMENT ON COLUMN %1$I.leads_daily.day IS 'The capture day, UTC.';
    COMMENT ON COLUMN %1$I.leads_daily.captured IS 'Leads captured that day.';
    COMMENT ON COLUMN %1$I.leads_daily.qualified IS 'Of those, leads that became marketing-qualified since.';
    COMMENT ON COLUMN %1$I.leads_daily.assigned IS 'Of those, leads that were assigned to a rep since.';
    COMMENT ON COLUMN %1$I.leads_daily.sales_qualified IS 'Of those, leads that became sales-qualified since.';
    COMMENT ON COLUMN %1$I.leads_daily.converted IS 'Of those, leads converted to an opportunity since.';
    COMMENT ON COLUMN %1$I.leads_daily.disqualified IS 'Of those, leads disqualified since.';
  $sql$, reporting);

  EXECUTE format($sql$
    CREATE VIEW %I.lead_response_sla AS
    SELECT tenant_id, lead_id, owner_id, pool_id, assigned_at, response_due_at, responded_at, sla_breaches,
      CASE
        WHEN responded_at IS NOT NULL AND (response_due_at IS NULL OR responded_at <= response_due_at) THEN 'met'
        WHEN responded_at IS NOT NULL THEN 'late'
        WHEN response_due_at < now() THEN 'overdue'
        ELSE 'pending'
      END AS response_status
    FROM leads
    WHERE owner_id IS NOT NULL
  $sql$, reporting);
  EXECUTE format('COMMENT ON VIEW %I.lead_response_sla IS %L', reporting,
    'Owned leads and their current owner''s first-response deadline. Earlier owners'' breaches are counted in sla_breaches.');
  EXECUTE format($sql$
    COMMENT ON COLUMN %1$I.lead_response_sla.response_status IS 'met (responded by the deadline), late, overdue (no response, deadline passed) or pending.';
  $sql$, reporting);

  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'l2o_reporting') THEN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO l2o_reporting', reporting);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO l2o_reporting', reporting);
    -- Views that later migrations add are readable too.
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO l2o_reporting', reporting);
  END IF;
END
$$;
