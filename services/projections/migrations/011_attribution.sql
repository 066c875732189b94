-- Up Migration

-- The attribution read model: each won deal's credit per model, totalled per channel and per campaign,
-- as the latest revision of AttributionCalculated states it (a revision replaces the model's earlier
-- rows); each campaign's cost per day (a later CampaignCostRecorded for the day replaces it); and the
-- last reopening of each deal, after which the credits of an earlier win no longer count.
CREATE TABLE attribution_channel_credits (
  tenant_id text NOT NULL,
  opportunity_id uuid NOT NULL,
  model text NOT NULL,
  channel text NOT NULL,
  amount numeric(16, 2) NOT NULL,
  currency text NOT NULL,
  won_at timestamptz NOT NULL,
  revision int NOT NULL,
  PRIMARY KEY (tenant_id, opportunity_id, model, channel)
);
CREATE INDEX attribution_channel_credits_won ON attribution_channel_credits (tenant_id, won_at)
  INCLUDE (model, channel, amount, currency, opportunity_id);

-- A campaign of NULL totals the touches without one; position keeps the event's order and the key unique.
CREATE TABLE attribution_campaign_credits (
  tenant_id text NOT NULL,
  opportunity_id uuid NOT NULL,
  model text NOT NULL,
  position int NOT NULL,
  campaign text,
  amount numeric(16, 2) NOT NULL,
  currency text NOT NULL,
  won_at timestamptz NOT NULL,
  revision int NOT NULL,
  PRIMARY KEY (tenant_id, opportunity_id, model, position)
);
CREATE INDEX attribution_campaign_credits_won ON attribution_campaign_credits (tenant_id, won_at)
  INCLUDE (model, campaign, amount, currency, opportunity_id);

CREATE TABLE attribution_reopenings (
  tenant_id text NOT NULL,
  opportunity_id uuid NOT NULL,
  reopened_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, opportunity_id)
);

CREATE TABLE campaign_costs (
  tenant_id text NOT NULL,
  campaign text NOT NULL,
  day date NOT NULL,
  channel text NOT NULL,
  amount numeric(16, 2) NOT NULL,
  currency text NOT NULL,
  recorded_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, campaign, day)
);
CREATE INDEX campaign_costs_day ON campaign_costs (tenant_id, day) INCLUDE (campaign, channel, amount, currency);

-- Documented views of the pipeline and attribution models in the reporting schema (see 006).
DO $$
DECLARE
  reporting text := current_schema() || '_reporting';
BEGIN
  EXECUTE format($sql$
    CREATE VIEW %I.opportunity_history AS
    SELECT tenant_id, opportunity_id, lead_id, valid_from, valid_to, status, owner_id, pipeline_id, channel, campaign,
      opened_at, stage_id, stage_name, stage_position, probability, forecast_category, amount, currency,
      expected_close_date, closed_at, lost_reason, competitor, stalled
    FROM opportunity_states
  $sql$, reporting);
  EXECUTE format('COMMENT ON VIEW %I.opportunity_history IS %L', reporting,
    'Every state each opportunity was in, valid from valid_from until valid_to (NULL: its current state). ' ||
    'The pipeline as of a time T: WHERE valid_from <= T AND (valid_to IS NULL OR valid_to > T).');
  EXECUTE format($sql$
    COMMENT ON COLUMN %1$I.opportunity_history.tenant_id IS 'The tenant the opportunity belongs to; filter on it.';
    COMMENT ON COLUMN %1$I.opportunity_history.lead_id IS 'The converted lead (see the leads view for its team, pool_id).';
    COMMENT ON COLUMN %1$I.opportunity_history.valid_from IS 'When the opportunity entered this state (the event''s business time).';
    COMMENT ON COLUMN %1$I.opportunity_history.valid_to IS 'When the next state began; NULL for the current state.';
    COMMENT ON COLUMN %1$I.opportunity_history.status IS 'open, won or lost.';
    COMMENT ON COLUMN %1$I.opportunity_history.channel IS 'Channel of the converted lead''s first touch.';
    COMMENT ON COLUMN %1$I.opportunity_history.campaign IS 'Campaign of the converted lead''s first touch.';
    COMMENT ON COLUMN %1$I.opportunity_history.stage_id IS 'The stage (for won and lost: the stage it closed from).';
    COMMENT ON COLUMN %1$I.opportunity_history.probability IS 'The stage''s default win probability, percent; amount * probability / 100 is the weighted amount.';
    COMMENT ON COLUMN %1$I.opportunity_history.forecast_category IS 'pipeline, best_case, commit, closed or omitted.';
    COMMENT ON COLUMN %1$I.opportunity_history.amount IS 'Expected amount (for won: the final amount), major units of currency.';
    COMMENT ON COLUMN %1$I.opportunity_history.expected_close_date IS 'The expected close date; the forecast groups by its month.';
    COMMENT ON COLUMN %1$I.opportunity_history.closed_at IS 'When it was won or lost; NULL while open.';
    COMMENT ON COLUMN %1$I.opportunity_history.lost_reason IS 'The tenant''s lost reason, for status lost.';
    COMMENT ON COLUMN %1$I.opportunity_history.stalled IS 'It stayed in its stage longer than the stage SLA.';
  $sql$, reporting);

  EXECUTE format($sql$
    CREATE VIEW %I.opportunity_stage_visits AS
    SELECT tenant_id, opportunity_id, lead_id, pipeline_id, stage_id, stage_name, stage_position, entered_at, left_at, exit,
      channel, campaign, EXTRACT(EPOCH FROM left_at - entered_at) / 86400 AS days_in_stage
    FROM opportunity_stage_visits
  $sql$, reporting);
  EXECUTE format('COMMENT ON VIEW %I.opportunity_stage_visits IS %L', reporting,
    'Each stay of an opportunity in a stage: when it entered and left, and how it left. Stage conversion is the share of stays that left forward or won.');
  EXECUTE format($sql$
    COMMENT ON COLUMN %1$I.opportunity_stage_visits.tenant_id IS 'The tenant the opportunity belongs to; filter on it.';
    COMMENT ON COLUMN %1$I.opportunity_stage_visits.exit IS 'forward, backward, won or lost; NULL while it is still in the stage.';
    COMMENT ON COLUMN %1$I.opportunity_stage_visits.days_in_stage IS 'Days from entering to leaving; NULL while still in the stage.';
  $sql$, reporting);

  EXECUTE format($sql$
    CREATE VIEW %I.attribution_credits AS
    SELECT c.tenant_id, c.opportunity_id, c.model, 'channel' AS dimension, c.channel AS value, c.amount, c.currency, c.won_at
    FROM attribution_channel_credits c
    LEFT JOIN attribution_reopenings r ON r.tenant_id = c.tenant_id AND r.opportunity_id = c.opportunity_id
    WHERE r.reopened_at IS NULL OR c.won_at > r.reopened_at
    UNION ALL
    SELECT c.tenant_id, c.opportunity_id, c.model, 'campaign', c.campaign, c.amount, c.currency, c.won_at
    FROM attribution_campaign_credits c
    LEFT JOIN attribution_reopenings r ON r.tenant_id = c.tenant_id AND r.opportunity_id = c.opportunity_id
    WHERE r.reopened_at IS NULL OR c.won_at > r.reopened_at
  $sql$, reporting);
  EXECUTE format('COMMENT ON VIEW %I.attribution_credits IS %L', reporting,
    'Revenue of won deals credited per attribution model to channels and to campaigns (the latest revision; a deal ' ||
    'reopened since its win is left out until it is won again). Sum amount per model and dimension; never across models.');
  EXECUTE format($sql$
    COMMENT ON COLUMN %1$I.attribution_credits.tenant_id IS 'The tenant; filter on it.';
    COMMENT ON COLUMN %1$I.attribution_credits.model IS 'first_touch, last_touch, linear, position_based, w_shaped, full_path, time_decay, markov or shapley.';
    COMMENT ON COLUMN %1$I.attribution_credits.dimension IS 'channel or campaign: what value names.';
    COMMENT ON COLUMN %1$I.attribution_credits.value IS 'The channel or campaign credited; a NULL campaign totals touches without one.';
    COMMENT ON COLUMN %1$I.attribution_credits.amount IS 'Revenue credited, major units of currency.';
    COMMENT ON COLUMN %1$I.attribution_credits.won_at IS 'When the deal was won.';
  $sql$, reporting);

  EXECUTE format($sql$
    CREATE VIEW %I.campaign_costs AS
    SELECT tenant_id, campaign, channel, day, amount, currency, recorded_at FROM campaign_costs
  $sql$, reporting);
  EXECUTE format('COMMENT ON VIEW %I.campaign_costs IS %L', reporting,
    'What each campaign cost per day (the latest figure recorded for the day), for cost per lead, CAC and ROI.');
  EXECUTE format($sql$
    COMMENT ON COLUMN %1$I.campaign_costs.tenant_id IS 'The tenant; filter on it.';
    COMMENT ON COLUMN %1$I.campaign_costs.channel IS 'The channel the money was spent on.';
    COMMENT ON COLUMN %1$I.campaign_costs.day IS 'The day the cost is for.';
    COMMENT ON COLUMN %1$I.campaign_costs.amount IS 'The day''s total, major units of currency.';
  $sql$, reporting);

  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'l2o_reporting') THEN
    EXECUTE format('GRANT SELECT ON %1$I.opportunity_history, %1$I.opportunity_stage_visits, %1$I.attribution_credits, %1$I.campaign_costs TO l2o_reporting', reporting);
  END IF;
END
$$;
