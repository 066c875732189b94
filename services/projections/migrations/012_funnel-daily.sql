-- Up Migration

-- The funnel without asOf, summed by capture day (UTC), channel, campaign and source: the funnel
-- projection changes it in the transaction that changes funnel_leads and funnel_wins, and the common
-- funnel reports read these few rows instead of every lead of the tenant (scripts/benchmark report-queries).
-- funnel_daily_by_channel holds the same sums by day and channel alone, for the reports that neither
-- filter nor group by campaign or source (a tenant's campaign × source pairs can be many a day).
-- Reports as of a past instant or by team still scan funnel_leads. Seconds are numeric so that taking a
-- lead away subtracts exactly what adding it added.
CREATE TABLE funnel_daily (
  tenant_id text NOT NULL,
  captured_day date NOT NULL,
  channel text NOT NULL,
  campaign text,
  source text,
  leads bigint NOT NULL,
  mql bigint NOT NULL,
  sql bigint NOT NULL,
  opportunities bigint NOT NULL,
  won bigint NOT NULL,
  mql_and_sql bigint NOT NULL,
  sql_and_opportunity bigint NOT NULL,
  lead_to_mql_seconds numeric NOT NULL,
  mql_to_sql_seconds numeric NOT NULL,
  sql_to_opportunity_seconds numeric NOT NULL,
  opportunity_to_won_seconds numeric NOT NULL
);

CREATE UNIQUE INDEX funnel_daily_key ON funnel_daily (tenant_id, captured_day, channel, campaign, source)
  NULLS NOT DISTINCT;

-- The rows the funnel already holds, summed the way the projection sums them from now on.
INSERT INTO funnel_daily
SELECT f.tenant_id, f.captured_day, f.channel, f.campaign, f.source,
  count(*), count(f.mql_at), count(f.sql_at), count(f.converted_at), coalesce(sum(w.won), 0),
  count(*) FILTER (WHERE f.sql_at IS NOT NULL AND f.mql_at IS NOT NULL),
  count(*) FILTER (WHERE f.converted_at IS NOT NULL AND f.sql_at IS NOT NULL),
  coalesce(sum(extract(epoch FROM f.mql_at - f.captured_at)), 0),
  coalesce(sum(extract(epoch FROM f.sql_at - f.mql_at)), 0),
  coalesce(sum(extract(epoch FROM f.converted_at - f.sql_at)), 0),
  coalesce(sum(w.seconds), 0)
FROM funnel_leads f
LEFT JOIN LATERAL (
  SELECT count(*) AS won, sum(extract(epoch FROM fw.won_at - f.converted_at)) AS seconds
  FROM funnel_wins fw
  WHERE fw.tenant_id = f.tenant_id AND fw.opportunity_id = f.opportunity_id AND fw.reopened_at IS NULL
) AS w ON f.converted_at IS NOT NULL
WHERE f.merged_at IS NULL
GROUP BY 1, 2, 3, 4, 5;

CREATE TABLE funnel_daily_by_channel (
  tenant_id text NOT NULL,
  captured_day date NOT NULL,
  channel text NOT NULL,
  leads bigint NOT NULL,
  mql bigint NOT NULL,
  sql bigint NOT NULL,
  opportunities bigint NOT NULL,
  won bigint NOT NULL,
  mql_and_sql bigint NOT NULL,
  sql_and_opportunity bigint NOT NULL,
  lead_to_mql_seconds numeric NOT NULL,
  mql_to_sql_seconds numeric NOT NULL,
  sql_to_opportunity_seconds numeric NOT NULL,
  opportunity_to_won_seconds numeric NOT NULL,
  PRIMARY KEY (tenant_id, captured_day, channel)
);

INSERT INTO funnel_daily_by_channel
SELECT tenant_id, captured_day, channel, sum(leads), sum(mql), sum(sql), sum(opportunities), sum(won),
  sum(mql_and_sql), sum(sql_and_opportunity), sum(lead_to_mql_seconds), sum(mql_to_sql_seconds),
  sum(sql_to_opportunity_seconds), sum(opportunity_to_won_seconds)
FROM funnel_daily
GROUP BY 1, 2, 3;
