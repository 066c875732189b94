-- Up Migration
-- A tenant's routing: ordered rules, default and shared pool, SLA defaults (routingSettingsSchema as JSON).
CREATE TABLE routing_settings (
  tenant_id  text        PRIMARY KEY,
  settings   jsonb       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE routing_reps (
  tenant_id text  NOT NULL,
  rep_id    text  NOT NULL,
  rep       jsonb NOT NULL,
  PRIMARY KEY (tenant_id, rep_id)
);

-- `state` is the pool's fairness state (PoolState): written only under the tenant's routing lock, so
-- round robin cursors and weights stay fair across restarts and replicas.
CREATE TABLE routing_pools (
  tenant_id text  NOT NULL,
  pool_id   text  NOT NULL,
  pool      jsonb NOT NULL,
  state     jsonb NOT NULL DEFAULT '{"currentWeights": {}, "lastAssignedAt": {}}',
  PRIMARY KEY (tenant_id, pool_id)
);

-- `open_leads` is recounted from routing_leads whenever a lead's owner changes; `assigned_today`
-- counts assignments on the rep's local calendar day `day`.
CREATE TABLE routing_rep_loads (
  tenant_id      text    NOT NULL,
  rep_id         text    NOT NULL,
  open_leads     integer NOT NULL DEFAULT 0 CHECK (open_leads >= 0),
  assigned_today integer NOT NULL DEFAULT 0 CHECK (assigned_today >= 0),
  day            text    NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_id, rep_id)
);

-- What routing knows of each lead, from the lead topic. `owner_id` and `open` are the truth rep loads
-- are counted from; `reservation` is the assignment decided for the trigger at `reservation.triggerVersion`,
-- re-sent as it is when that trigger is redelivered; `waiting` is set while nobody eligible could take the lead.
CREATE TABLE routing_leads (
  lead_id            uuid        PRIMARY KEY,
  tenant_id          text        NOT NULL,
  attributes         jsonb       NOT NULL DEFAULT '{}',
  owner_id           text        NULL,
  open               boolean     NOT NULL DEFAULT false,
  closed             boolean     NOT NULL DEFAULT false,
  previous_owner_ids text[]      NOT NULL DEFAULT '{}',
  reservation        jsonb       NULL,
  waiting            jsonb       NULL,
  next_try_at        timestamptz NULL,
  last_version       integer     NOT NULL DEFAULT 0
);

CREATE INDEX routing_leads_open_by_owner ON routing_leads (tenant_id, owner_id) WHERE open;
CREATE INDEX routing_leads_waiting ON routing_leads (next_try_at) WHERE waiting IS NOT NULL;

-- One first-response timer per assignment; the poller claims due ones with FOR UPDATE SKIP LOCKED.
CREATE TABLE routing_timers (
  lead_id      uuid        NOT NULL,
  assigned_at  timestamptz NOT NULL,
  owner_id     text        NOT NULL,
  tenant_id    text        NOT NULL,
  pool_id      text        NOT NULL,
  due_at       timestamptz NOT NULL,
  fired_at     timestamptz NULL,
  cancelled_at timestamptz NULL,
  PRIMARY KEY (lead_id, assigned_at)
);

CREATE INDEX routing_timers_due ON routing_timers (due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL;
