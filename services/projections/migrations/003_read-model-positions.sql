-- Up Migration

-- Where each read model stands in each stream it follows: the version of the last event applied,
-- written in the transaction that applied it. A replay (version <= this) is a no-op and a version
-- beyond the next is a gap. Stream ids are unique across tenants; the tenant is kept for operators.
CREATE TABLE read_model_positions (
  read_model text NOT NULL,
  stream_id text NOT NULL,
  tenant_id text NOT NULL,
  version int NOT NULL,
  PRIMARY KEY (read_model, stream_id)
);

-- The leads read model kept its position in its own rows so far; carry it over, or the next event of
-- every existing lead would be a gap.
INSERT INTO read_model_positions (read_model, stream_id, tenant_id, version)
SELECT 'leads', 'lead-' || lead_id, tenant_id, version FROM leads;
