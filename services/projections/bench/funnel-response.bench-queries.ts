// The funnel and response read models' part of the report-queries benchmark: set-based seeding of the
// same leads the leads model gets (by row number, with the same tenant split), and the queries to time.
import type pg from 'pg';
import { funnelDailyChange } from '../src/funnel/funnel-daily.rollup.ts';

/** A day `offsetDays` before today, YYYY-MM-DD (UTC). */
function isoDay(offsetDays: number): string {
  return new Date(Date.now() - offsetDays * 86_400_000).toISOString().slice(0, 10);
}

const randomInt = (max: number) => Math.floor(Math.random() * max);

// One statement per batch: a year of captures; 40% reach MQL within two days, 15% SQL, 8% convert, 40% of
// those are won (5% of wins reopened); each MQL is assigned to one of 50 reps in 6 teams with a 2-hour
// deadline, answered 75% of the time within 4 hours, else breached.
const seedBatch = `
  WITH drawn AS (
    SELECT i, tenant_id, gen_random_uuid() AS lead_id, captured_at, channel, step,
      captured_at + random() * interval '48 hours' AS mql_at,
      'rep-' || (i % 50) AS owner_id, 'pool-' || (i % 6) AS team, random() AS answer
    FROM (
      SELECT i, CASE WHEN i % 2 = 0 THEN 'tenant-0' ELSE 'tenant-' || (1 + i % 9) END AS tenant_id,
        now() - random() * interval '365 days' AS captured_at,
        (ARRAY['web_form','api','csv_import','kafka_intake','event','partner','ad'])[1 + floor(random() * 7)::int] AS channel,
        random() AS step
      FROM generate_series($1::int, $2::int) AS i
    ) AS rows
  ),
  staged AS (
    SELECT *, CASE WHEN step < 0.08 THEN gen_random_uuid() END AS opportunity_id,
      mql_at + interval '3 days' AS sql_at, mql_at + interval '5 days' AS converted_at,
      mql_at + interval '5 minutes' AS assigned_at
    FROM drawn
  ),
  leads AS (
    INSERT INTO funnel_leads (tenant_id, lead_id, channel, source, campaign, team, captured_at, mql_at, sql_at,
      converted_at, opportunity_id, disqualified_at, merged_at)
    SELECT tenant_id, lead_id, channel, 'source-' || (i % 12), 'campaign-' || (i % 25),
      CASE WHEN step < 0.4 THEN team END, captured_at,
      CASE WHEN step < 0.4 THEN mql_at END, CASE WHEN step < 0.15 THEN sql_at END,
      CASE WHEN step < 0.08 THEN converted_at END, opportunity_id,
      CASE WHEN step BETWEEN 0.4 AND 0.5 THEN captured_at + interval '2 days' END,
      CASE WHEN i % 100 = 0 THEN captured_at + interval '1 day' END
    FROM staged
  ),
  wins AS (
    INSERT INTO funnel_wins (tenant_id, opportunity_id, won_at, reopened_at)
    SELECT tenant_id, opportunity_id, converted_at + random() * interval '60 days',
      CASE WHEN answer < 0.05 THEN converted_at + interval '70 days' END
    FROM staged WHERE step < 0.032
  )
  INSERT INTO response_assignments (tenant_id, lead_id, assigned_version, owner_id, team, channel, campaign,
    assigned_at, due_at, responded_at, response, breached_at, ended_at, end_reason)
  SELECT tenant_id, lead_id, 4, owner_id, team, channel, 'campaign-' || (i % 25), assigned_at,
    assigned_at + interval '2 hours',
    CASE WHEN answer < 0.75 THEN assigned_at + answer * interval '5 hours 20 minutes' END,
    CASE WHEN answer < 0.75 THEN 'accepted' END,
    CASE WHEN answer >= 0.75 THEN assigned_at + interval '2 hours' END,
    CASE WHEN step < 0.08 THEN converted_at END, CASE WHEN step < 0.08 THEN 'converted' END
  FROM staged WHERE step < 0.4`;

/** Seeds the funnel and response rows of leads number `first`..`last`. */
export async function seedFunnelAndResponse(options: { pool: pg.Pool; first: number; last: number }): Promise<void> {
  await options.pool.query(seedBatch, [options.first, options.last]);
}

/** Sums the seeded funnel rows into the daily sums, as the projection would have; once, after the last batch. */
export async function rollUpSeededFunnel(options: { pool: pg.Pool }): Promise<void> {
  await options.pool.query(funnelDailyChange({ sign: 1, where: 'true' }));
}

/** The tables the seeding fills, to analyse once it is done. */
export const funnelAndResponseTables = [
  'funnel_leads',
  'funnel_wins',
  'funnel_daily',
  'funnel_daily_by_channel',
  'response_assignments',
];

/** The funnel and response calls the dashboard and analysts make most, each with parameters that vary per run. */
export const funnelAndResponseQueries: Array<{ name: string; url: () => string }> = [
  {
    name: 'funnel by channel × month, whole year',
    url: () => `/v1/reports/funnel?groupBy=channel,month&from=${isoDay(366)}`,
  },
  {
    name: 'funnel, 30 days (dashboard)',
    url: () => `/v1/reports/funnel?from=${isoDay(30)}&to=${isoDay(-1)}`,
  },
  {
    name: 'funnel by channel, 90 days, as of a past day',
    url: () => {
      const asOf = 1 + randomInt(60);
      return `/v1/reports/funnel?groupBy=channel&from=${isoDay(asOf + 90)}&asOf=${isoDay(asOf)}`;
    },
  },
  {
    name: 'funnel by campaign, one team, 90 days',
    url: () => `/v1/reports/funnel?groupBy=campaign&team=pool-${randomInt(6)}&from=${isoDay(90)}`,
  },
  {
    name: 'response by rep, 30 days (dashboard)',
    url: () => `/v1/reports/response?groupBy=ownerId&from=${isoDay(30)}&to=${isoDay(-1)}`,
  },
  {
    name: 'response by rep, whole year',
    url: () => `/v1/reports/response?groupBy=ownerId&from=${isoDay(366)}`,
  },
  {
    name: 'response by team × month, whole year',
    url: () => `/v1/reports/response?groupBy=team,month&from=${isoDay(366)}`,
  },
  { name: 'workload, open leads per rep', url: () => '/v1/reports/workload' },
];
