-- Up Migration
-- The lead each opportunity came from: won and lost events name only the opportunity.
CREATE TABLE scoring_opportunities (
  opportunity_id uuid PRIMARY KEY,
  tenant_id      text NOT NULL,
  lead_id        uuid NOT NULL
);

-- Closed opportunities the predictive model learns from. The primary key makes a redelivered won or
-- lost event a no-op; `learned` is false while scoring has not yet seen the lead's profile.
CREATE TABLE scoring_outcomes (
  opportunity_id uuid        PRIMARY KEY,
  tenant_id      text        NOT NULL,
  lead_id        uuid        NOT NULL,
  outcome        text        NOT NULL CHECK (outcome IN ('won', 'lost')),
  recorded_at    timestamptz NOT NULL,
  learned        boolean     NOT NULL
);
CREATE INDEX scoring_outcomes_lead ON scoring_outcomes (lead_id);
CREATE INDEX scoring_outcomes_tenant ON scoring_outcomes (tenant_id);

-- Each tenant's naive Bayes model, updated in the transaction that records an outcome.
CREATE TABLE scoring_models (
  tenant_id  text        PRIMARY KEY,
  model      jsonb       NOT NULL,
  outcomes   int         NOT NULL,
  updated_at timestamptz NOT NULL
);

-- The rescore scheduler looks for outcomes still waiting for their lead at every tick.
CREATE INDEX scoring_outcomes_pending ON scoring_outcomes (tenant_id) WHERE NOT learned;
