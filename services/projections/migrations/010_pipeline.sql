-- Up Migration

-- The pipeline read model. opportunity_states holds every state an opportunity was in, each valid
-- from one event to the next (valid_to NULL: the current one), so the pipeline "as of" a past date is a
-- WHERE on those times, not a replay. opportunity_stage_visits holds each stay in a stage, how it ended
-- and when, for stage conversion and time in stage. Times are the events' business times (changedAt,
-- wonAt…); version is the stream version of the event that began the row.
CREATE TABLE opportunity_states (
  tenant_id text NOT NULL,
  opportunity_id uuid NOT NULL,
  version int NOT NULL,
  valid_from timestamptz NOT NULL,
  valid_to timestamptz,
  status text NOT NULL,
  lead_id uuid NOT NULL,
  owner_id text NOT NULL,
  pipeline_id text NOT NULL,
  channel text,
  campaign text,
  opened_at timestamptz NOT NULL,
  stage_id text NOT NULL,
  stage_name text NOT NULL,
  stage_position int NOT NULL,
  probability int NOT NULL,
  forecast_category text NOT NULL,
  amount numeric(16, 2) NOT NULL,
  currency text NOT NULL,
  expected_close_date date NOT NULL,
  closed_at timestamptz,
  lost_reason text,
  competitor text,
  stalled boolean NOT NULL DEFAULT false,
  PRIMARY KEY (tenant_id, opportunity_id, version)
);

-- The current pipeline, by opening time; the as-of reports read the second, closed outcomes the third.
CREATE INDEX opportunity_states_current ON opportunity_states (tenant_id, opened_at)
  INCLUDE (status, stage_id, stage_name, stage_position, probability, forecast_category, amount, currency,
    expected_close_date, channel, campaign, owner_id, lead_id, stalled)
  WHERE valid_to IS NULL;
CREATE INDEX opportunity_states_as_of ON opportunity_states (tenant_id, valid_from)
  INCLUDE (valid_to, status, stage_id, stage_name, stage_position, probability, forecast_category, amount, currency,
    expected_close_date, channel, campaign, owner_id, lead_id, opened_at);
CREATE INDEX opportunity_states_closed ON opportunity_states (tenant_id, closed_at)
  INCLUDE (valid_from, valid_to, status, lost_reason, competitor, amount, currency, channel, campaign, owner_id, lead_id)
  WHERE closed_at IS NOT NULL;

CREATE TABLE opportunity_stage_visits (
  tenant_id text NOT NULL,
  opportunity_id uuid NOT NULL,
  version int NOT NULL,
  pipeline_id text NOT NULL,
  stage_id text NOT NULL,
  stage_name text NOT NULL,
  stage_position int NOT NULL,
  entered_at timestamptz NOT NULL,
  left_at timestamptz,
  -- forward, backward, won or lost; NULL while the opportunity is still in the stage.
  exit text,
  channel text,
  campaign text,
  lead_id uuid NOT NULL,
  PRIMARY KEY (tenant_id, opportunity_id, version)
);

CREATE INDEX opportunity_stage_visits_entered ON opportunity_stage_visits (tenant_id, entered_at)
  INCLUDE (stage_id, stage_name, stage_position, left_at, exit, channel, campaign, lead_id);
