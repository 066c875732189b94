-- Up Migration
-- A tenant's pipelines and lost reasons (pipelineSettingsSchema as JSON); a tenant without a row uses the defaults.
CREATE TABLE pipeline_settings (
  tenant_id  text        PRIMARY KEY,
  settings   jsonb       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Pipeline's own view of each opportunity, from the opportunity topic, for the forecast and the stage
-- timers. `last_version` is the last stream version applied, so a redelivered event changes nothing.
CREATE TABLE pipeline_opportunities (
  opportunity_id    uuid        PRIMARY KEY,
  tenant_id         text        NOT NULL,
  lead_id           uuid        NOT NULL,
  owner_id          text        NOT NULL,
  pipeline_id       text        NOT NULL,
  stage_id          text        NOT NULL,
  stage_name        text        NOT NULL,
  stage_position    integer     NOT NULL,
  probability       integer     NOT NULL CHECK (probability BETWEEN 0 AND 100),
  forecast_category text        NOT NULL,
  amount            numeric     NOT NULL CHECK (amount >= 0),
  currency          text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  close_date        date        NOT NULL,
  status            text        NOT NULL CHECK (status IN ('open', 'won', 'lost')),
  entered_stage_at  timestamptz NOT NULL,
  stalled           boolean     NOT NULL DEFAULT false,
  closed_at         timestamptz NULL,
  last_version      integer     NOT NULL CHECK (last_version > 0)
);

CREATE INDEX pipeline_opportunities_open_by_close_date
  ON pipeline_opportunities (tenant_id, close_date) WHERE status = 'open';

-- One SLA timer per stage entry; the poller claims due ones with FOR UPDATE SKIP LOCKED. `sla_days` is the
-- stage's SLA when the opportunity entered it; leaving the stage or closing cancels the timer.
CREATE TABLE pipeline_stage_timers (
  opportunity_id uuid        NOT NULL,
  stage_id       text        NOT NULL,
  entered_at     timestamptz NOT NULL,
  tenant_id      text        NOT NULL,
  sla_days       integer     NOT NULL CHECK (sla_days > 0),
  due_at         timestamptz NOT NULL,
  fired_at       timestamptz NULL,
  outcome        text        NULL CHECK (outcome IN ('stalled', 'moot', 'refused')),
  cancelled_at   timestamptz NULL,
  PRIMARY KEY (opportunity_id, stage_id, entered_at)
);

CREATE INDEX pipeline_stage_timers_due
  ON pipeline_stage_timers (due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL;
