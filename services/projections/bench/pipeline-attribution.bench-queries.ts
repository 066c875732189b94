// The pipeline and attribution read models' part of the report-queries benchmark: set-based seeding of
// opportunities for 8% of the leads (by row number, with the same tenant split), their states and stage
// stays, five attribution models' credits for the won ones, a year of daily costs, and the queries to time.
import type pg from 'pg';

/** A day `offsetDays` before today, YYYY-MM-DD (UTC). */
function isoDay(offsetDays: number): string {
  return new Date(Date.now() - offsetDays * 86_400_000).toISOString().slice(0, 10);
}

const randomInt = (max: number) => Math.floor(Math.random() * max);

// One statement per batch: each opportunity opens in qualification within the last year, moves to a later
// stage within 20 days, and 40% are won, 30% lost within 40 more days; the rest stay open there.
const seedBatch = `
  WITH drawn AS (
    SELECT i, CASE WHEN i % 2 = 0 THEN 'tenant-0' ELSE 'tenant-' || (1 + i % 9) END AS tenant_id,
      gen_random_uuid() AS opportunity_id, gen_random_uuid() AS lead_id,
      now() - random() * interval '365 days' AS opened_at,
      (ARRAY['web_form','api','csv_import','kafka_intake','event','partner','ad'])[1 + floor(random() * 7)::int] AS channel,
      'campaign-' || (i % 25) AS campaign, 'rep-' || (i % 50) AS owner_id,
      round((5000 + random() * 95000)::numeric, 2) AS amount, 1 + floor(random() * 3)::int AS stage2,
      random() AS fate, random() * interval '20 days' AS d2, random() * interval '40 days' AS d3,
      current_date + floor(random() * 270 - 90)::int AS close_date
    FROM generate_series($1::int, $2::int) AS i WHERE i % 100 < 8
  ),
  timed AS (
    SELECT *, opened_at + d2 AS t2, opened_at + d2 + d3 AS t3,
      (ARRAY['discovery','proposal','negotiation'])[stage2] AS s2, (ARRAY[25, 50, 75])[stage2] AS p2,
      (ARRAY['pipeline','best_case','commit'])[stage2] AS c2,
      CASE WHEN fate < 0.4 THEN 'won' WHEN fate < 0.7 THEN 'lost' END AS outcome
    FROM drawn
  ),
  first_states AS (
    INSERT INTO opportunity_states (tenant_id, opportunity_id, version, valid_from, valid_to, status, lead_id, owner_id,
      pipeline_id, channel, campaign, opened_at, stage_id, stage_name, stage_position, probability, forecast_category,
      amount, currency, expected_close_date)
    SELECT tenant_id, opportunity_id, 1, opened_at, t2, 'open', lead_id, owner_id, 'new-business', channel, campaign,
      opened_at, 'qualification', 'Qualification', 0, 10, 'pipeline', amount, 'EUR', close_date
    FROM timed
  ),
  moved_states AS (
    INSERT INTO opportunity_states (tenant_id, opportunity_id, version, valid_from, valid_to, status, lead_id, owner_id,
      pipeline_id, channel, campaign, opened_at, stage_id, stage_name, stage_position, probability, forecast_category,
      amount, currency, expected_close_date)
    SELECT tenant_id, opportunity_id, 2, t2, CASE WHEN outcome IS NOT NULL THEN t3 END, 'open', lead_id, owner_id,
      'new-business', channel, campaign, opened_at, s2, initcap(s2), stage2, p2, c2, amount, 'EUR', close_date
    FROM timed
  ),
  closed_states AS (
    INSERT INTO opportunity_states (tenant_id, opportunity_id, version, valid_from, valid_to, status, lead_id, owner_id,
      pipeline_id, channel, campaign, opened_at, stage_id, stage_name, stage_position, probability, forecast_category,
      amount, currency, expected_close_date, closed_at, lost_reason)
    SELECT tenant_id, opportunity_id, 3, t3, NULL, outcome, lead_id, owner_id, 'new-business', channel, campaign,
      opened_at, s2, initcap(s2), stage2, p2, c2, amount, 'EUR', close_date, t3,
      CASE WHEN outcome = 'lost' THEN (ARRAY['price','timing','competitor','no decision'])[1 + i % 4] END
    FROM timed WHERE outcome IS NOT NULL
  ),
  stays AS (
    INSERT INTO opportunity_stage_visits (tenant_id, opportunity_id, version, pipeline_id, stage_id, stage_name,
      stage_position, entered_at, left_at, exit, channel, campaign, lead_id)
    SELECT tenant_id, opportunity_id, 1, 'new-business', 'qualification', 'Qualification', 0, opened_at, t2, 'forward',
      channel, campaign, lead_id FROM timed
    UNION ALL
    SELECT tenant_id, opportunity_id, 2, 'new-business', s2, initcap(s2), stage2, t2,
      CASE WHEN outcome IS NOT NULL THEN t3 END, outcome, channel, campaign, lead_id FROM timed
  ),
  channel_credits AS (
    INSERT INTO attribution_channel_credits (tenant_id, opportunity_id, model, channel, amount, currency, won_at, revision)
    SELECT tenant_id, opportunity_id, model, credited, round(amount / 2, 2), 'EUR', t3, 1
    FROM timed
    CROSS JOIN unnest(ARRAY['first_touch','last_touch','linear','position_based','time_decay']) AS models(model)
    CROSS JOIN LATERAL unnest(ARRAY[channel, CASE WHEN channel = 'ad' THEN 'event' ELSE 'ad' END]) AS credited
    WHERE outcome = 'won'
  )
  INSERT INTO attribution_campaign_credits (tenant_id, opportunity_id, model, position, campaign, amount, currency,
    won_at, revision)
  SELECT tenant_id, opportunity_id, model, position, CASE WHEN position = 1 THEN campaign END, round(amount / 2, 2),
    'EUR', t3, 1
  FROM timed
  CROSS JOIN unnest(ARRAY['first_touch','last_touch','linear','position_based','time_decay']) AS models(model)
  CROSS JOIN generate_series(1, 2) AS position
  WHERE outcome = 'won'`;

// Every tenant's 25 campaigns' costs for each day of the last year.
const seedCosts = `
  INSERT INTO campaign_costs (tenant_id, campaign, day, channel, amount, currency, recorded_at)
  SELECT 'tenant-' || t, 'campaign-' || c, day::date,
    (ARRAY['web_form','api','csv_import','kafka_intake','event','partner','ad'])[1 + c % 7],
    round((random() * 500)::numeric, 2), 'EUR', day + interval '1 day'
  FROM generate_series(0, 9) AS t, generate_series(0, 24) AS c,
    generate_series(current_date - 365, current_date, interval '1 day') AS day`;

/** Seeds the pipeline and attribution rows of leads number `first`..`last`, and the costs with the first batch. */
export async function seedPipelineAndAttribution(options: {
  pool: pg.Pool;
  first: number;
  last: number;
}): Promise<void> {
  await options.pool.query(seedBatch, [options.first, options.last]);
  if (options.first === 1) await options.pool.query(seedCosts);
}

/** The tables the seeding fills, to analyse once it is done. */
export const pipelineAndAttributionTables = [
  'opportunity_states',
  'opportunity_stage_visits',
  'attribution_channel_credits',
  'attribution_campaign_credits',
  'campaign_costs',
];

/** The pipeline and attribution calls the dashboard and analysts make most, each with parameters that vary per run. */
export const pipelineAndAttributionQueries: Array<{ name: string; url: () => string }> = [
  { name: 'pipeline by stage, now (dashboard)', url: () => '/v1/reports/pipeline/by-stage' },
  {
    name: 'pipeline by stage, as of a past day',
    url: () => `/v1/reports/pipeline/by-stage?asOf=${isoDay(1 + randomInt(300))}`,
  },
  { name: 'pipeline by stage × channel, now', url: () => '/v1/reports/pipeline/by-stage?groupBy=channel' },
  { name: 'forecast by close month, now', url: () => '/v1/reports/pipeline/forecast' },
  {
    name: 'forecast by close month, as of a past day',
    url: () => `/v1/reports/pipeline/forecast?asOf=${isoDay(1 + randomInt(300))}`,
  },
  { name: 'stage conversion, 90 days', url: () => `/v1/reports/pipeline/stages?from=${isoDay(90)}` },
  { name: 'won and lost reasons, 90 days', url: () => `/v1/reports/pipeline/outcomes?from=${isoDay(90)}` },
  {
    name: 'attribution model × channel, 90 days',
    url: () => `/v1/reports/attribution/credit?from=${isoDay(90)}&to=${isoDay(-1)}`,
  },
  { name: 'attribution model × channel, whole year', url: () => `/v1/reports/attribution/credit?from=${isoDay(366)}` },
  {
    name: 'attribution model × campaign, 90 days',
    url: () => `/v1/reports/attribution/credit?groupBy=campaign&from=${isoDay(90)}`,
  },
  {
    name: 'channel ROI, 30 days (dashboard)',
    url: () => `/v1/reports/attribution/roi?from=${isoDay(30)}&to=${isoDay(-1)}`,
  },
  { name: 'campaign ROI, 90 days', url: () => `/v1/reports/attribution/roi?groupBy=campaign&from=${isoDay(90)}` },
];
