-- Up Migration
-- Attribution's own view of leads and opportunities, built from l2o.lead.v1 and l2o.opportunity.v1.
-- last_version is the stream version of the last event applied, so a redelivered event changes nothing.

CREATE TABLE attribution_leads (
  lead_id        uuid   PRIMARY KEY,
  tenant_id      text   NOT NULL,
  -- Set on a lead merged into another: its touches belong to the survivor's journey.
  merged_into    uuid   NULL,
  opportunity_id uuid   NULL,
  last_version   bigint NOT NULL DEFAULT 0
);
CREATE INDEX attribution_leads_tenant ON attribution_leads (tenant_id);
CREATE INDEX attribution_leads_merged_into ON attribution_leads (merged_into) WHERE merged_into IS NOT NULL;

-- One row per touch; touch_id is the id of the lead event it came from.
CREATE TABLE attribution_touchpoints (
  touch_id       text        PRIMARY KEY,
  tenant_id      text        NOT NULL,
  lead_id        uuid        NOT NULL,
  occurred_at    timestamptz NOT NULL,
  channel        text        NOT NULL,
  campaign       text        NULL,
  medium         text        NULL,
  milestones     text[]      NOT NULL DEFAULT '{}'
    CHECK (milestones <@ ARRAY['first_touch', 'lead_created', 'mql', 'opportunity_created', 'closed_won']::text[]),
  source_version bigint      NOT NULL
);
CREATE INDEX attribution_touchpoints_lead ON attribution_touchpoints (lead_id, occurred_at);
CREATE INDEX attribution_touchpoints_tenant ON attribution_touchpoints (tenant_id);

-- One row per opportunity (one lead opens at most one). lead_converted: LeadConverted was applied, so every
-- touch the lead had before the conversion is in attribution_touchpoints.
CREATE TABLE attribution_journeys (
  opportunity_id uuid        PRIMARY KEY,
  tenant_id      text        NOT NULL,
  lead_id        uuid        NULL,
  lead_converted boolean     NOT NULL DEFAULT false,
  outcome        text        NOT NULL DEFAULT 'open' CHECK (outcome IN ('open', 'won', 'lost')),
  opened_at      timestamptz NULL,
  won_at         timestamptz NULL,
  amount_cents   bigint      NULL,
  currency       text        NULL,
  last_version   bigint      NOT NULL DEFAULT 0
);
CREATE INDEX attribution_journeys_tenant_outcome ON attribution_journeys (tenant_id, outcome);

-- The channel weights a data-driven model last learned for a tenant.
CREATE TABLE attribution_model_weights (
  tenant_id   text        NOT NULL,
  model       text        NOT NULL CHECK (model IN ('markov', 'shapley')),
  weights     jsonb       NOT NULL,
  computed_at timestamptz NOT NULL,
  journeys    integer     NOT NULL,
  PRIMARY KEY (tenant_id, model)
);

-- A tenant without a row uses the models' defaults.
CREATE TABLE attribution_settings (
  tenant_id  text        PRIMARY KEY,
  config     jsonb       NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Tenants whose learned weights the schedule recalculates, and when it last did.
CREATE TABLE attribution_recomputes (
  tenant_id     text        PRIMARY KEY,
  recomputed_at timestamptz NULL
);
