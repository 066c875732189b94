-- Up Migration

-- The lead list's text search (q) looks for a fragment anywhere in the email, names or company: a
-- trigram index finds it without reading every lead of the tenant. pg_trgm is database-wide, so it
-- goes to public once (several schemas may race to create it: the loser's duplicate is harmless), and
-- the index names its operator class in whichever schema holds it. Without pg_trgm (no contrib
-- package, or no right to create it) the search still works, scanning the tenant's leads.
ALTER TABLE leads ADD COLUMN search_text text
  GENERATED ALWAYS AS (lower(
    coalesce(email, '') || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' ||
    coalesce(company_name, '')
  )) STORED;

DO $$
DECLARE
  trgm_schema name;
BEGIN
  BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
  EXCEPTION
    WHEN duplicate_object OR unique_violation THEN NULL;
    WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
      RAISE WARNING 'pg_trgm is not available (%): the lead search scans instead of using an index', SQLERRM;
  END;
  SELECT extnamespace::regnamespace::name INTO trgm_schema FROM pg_extension WHERE extname = 'pg_trgm';
  IF trgm_schema IS NOT NULL THEN
    EXECUTE format('CREATE INDEX leads_search ON leads USING gin (search_text %I.gin_trgm_ops)', trgm_schema);
  END IF;
END
$$;
