-- Up Migration
-- Every change of a tenant's rule set is a new version; scores name the version they used. A tenant
-- without a row scores with the built-in default rule set, which counts as version 1.
CREATE TABLE scoring_rule_sets (
  tenant_id  text        NOT NULL,
  version    int         NOT NULL CHECK (version > 1),
  rule_set   jsonb       NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, version)
);
