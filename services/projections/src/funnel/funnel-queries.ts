import type pg from 'pg';
import { sqlParameters } from '../reports/report-filters.ts';
import type { ReportFilters } from '../reports/report-filters.ts';

/** What the funnel can be grouped by: the lead's first-touch channel, source, campaign, its team, its capture period. */
export const funnelDimensions = ['channel', 'source', 'campaign', 'team', 'day', 'week', 'month'] as const;
export type FunnelDimension = (typeof funnelDimensions)[number];

/** The funnel's steps in order; each lead counts in every step it reached. */
export const funnelSteps = ['leads', 'mql', 'sql', 'opportunities', 'won'] as const;
export type FunnelStep = (typeof funnelSteps)[number];

/** The pairs of consecutive steps that rates and times are given for, as `<from>To<To>`. */
export const funnelTransitions = ['leadToMql', 'mqlToSql', 'sqlToOpportunity', 'opportunityToWon'] as const;
export type FunnelTransition = (typeof funnelTransitions)[number];

export type FunnelGroup = {
  key: Partial<Record<FunnelDimension, string | null>>;
  counts: Record<FunnelStep, number>;
  /** Share of the previous step's leads that reached the next one; null when the previous step is empty. */
  rates: Record<FunnelTransition, number | null>;
  /** Mean hours from one step to the next, over the leads that reached both; null when none did. */
  hours: Record<FunnelTransition, number | null>;
};

/**
 * How each dimension groups: the column the rows group by, and the expression that turns a group into
 * its answer (`$` stands for the first). Periods group by the stored capture day, merged after.
 */
const dimensionSql: Record<FunnelDimension, { group: string; answer: string }> = {
  channel: { group: 'f.channel', answer: '$' },
  source: { group: 'f.source', answer: '$' },
  campaign: { group: 'f.campaign', answer: '$' },
  team: { group: 'f.team', answer: '$' },
  day: { group: 'f.captured_day', answer: "to_char($, 'YYYY-MM-DD')" },
  week: { group: 'f.captured_day', answer: "to_char(date_trunc('week', $::timestamp), 'YYYY-MM-DD')" },
  month: { group: 'f.captured_day', answer: "to_char($, 'YYYY-MM')" },
};

type FunnelQuery = {
  pool: pg.Pool;
  tenantId: string;
  filters: Omit<ReportFilters, 'format'> & { source?: string };
  groupBy: readonly FunnelDimension[];
  /** An instant (ISO 8601); absent means now, as far as the events have arrived. */
  asOf?: string;
};

/**
 * The tenant's funnel: the leads captured in the period (the cohort), and how many of them reached each
 * later step, by the `groupBy` dimensions. With `asOf`, as it stood then: steps reached later, leads
 * captured later and wins undone by then are left out, merges not yet made are not.
 */
export async function readFunnel(options: FunnelQuery): Promise<FunnelGroup[]> {
  return funnelDailyAnswers(options) ? readFunnelFromDaily(options) : readFunnelFromLeads(options);
}

const dayMs = 86_400_000;

// funnel_daily holds the funnel as it stands by capture day, without the team (a lead's team changes
// after capture): a past instant, a team, or a period not on whole UTC days needs the leads' rows.
function funnelDailyAnswers(options: FunnelQuery): boolean {
  const { filters, groupBy } = options;
  const wholeDay = (instant: string | undefined) => instant === undefined || Date.parse(instant) % dayMs === 0;
  return (
    options.asOf === undefined &&
    filters.team === undefined &&
    !groupBy.includes('team') &&
    wholeDay(filters.from) &&
    wholeDay(filters.to)
  );
}

/**
 * The funnel from funnel_daily (funnel_daily_by_channel when neither campaign nor source is asked for);
 * answers `readFunnel` without `asOf` or `team` and with a period on whole UTC days, the same as
 * `readFunnelFromLeads` would.
 */
export async function readFunnelFromDaily(options: Omit<FunnelQuery, 'asOf'>): Promise<FunnelGroup[]> {
  const { filters, groupBy } = options;
  if (filters.team !== undefined || groupBy.includes('team')) throw new Error('funnel_daily has no team');
  const sql = sqlParameters([options.tenantId]);
  const day = (instant: string) => `(${sql.add(instant)}::timestamptz AT TIME ZONE 'UTC')::date`;
  const conditions = ['f.tenant_id = $1'];
  if (filters.from !== undefined) conditions.push(`f.captured_day >= ${day(filters.from)}`);
  if (filters.to !== undefined) conditions.push(`f.captured_day < ${day(filters.to)}`);
  if (filters.channel !== undefined) conditions.push(`f.channel = ${sql.add(filters.channel)}`);
  if (filters.campaign !== undefined) conditions.push(`f.campaign = ${sql.add(filters.campaign)}`);
  if (filters.source !== undefined) conditions.push(`f.source = ${sql.add(filters.source)}`);
  const keys = groupBy.map((dimension, index) => {
    const { group, answer } = dimensionSql[dimension];
    return `${answer.replace('$', group)} AS g${index}`;
  });
  const positions = groupBy.map((_, index) => index + 1).join(', ');
  const bySource =
    filters.campaign !== undefined ||
    filters.source !== undefined ||
    groupBy.includes('campaign') ||
    groupBy.includes('source');
  // Rows whose leads were all merged away stay behind at zero; a group of them is no group.
  const grouping = groupBy.length > 0 ? `GROUP BY ${positions} HAVING sum(leads) > 0 ORDER BY ${positions}` : '';
  const result = await options.pool.query<Record<string, string | number | null>>(
    `SELECT ${[...keys, ''].join(', ')}
       sum(leads) AS leads, sum(mql) AS mql, sum(sql) AS sql, sum(opportunities) AS opportunities, sum(won) AS won,
       sum(lead_to_mql_seconds) / nullif(sum(mql), 0) / 3600 AS lead_to_mql,
       sum(mql_to_sql_seconds) / nullif(sum(mql_and_sql), 0) / 3600 AS mql_to_sql,
       sum(sql_to_opportunity_seconds) / nullif(sum(sql_and_opportunity), 0) / 3600 AS sql_to_opportunity,
       sum(opportunity_to_won_seconds) / nullif(sum(won), 0) / 3600 AS opportunity_to_won
     FROM ${bySource ? 'funnel_daily' : 'funnel_daily_by_channel'} f WHERE ${conditions.join(' AND ')} ${grouping}`,
    sql.values,
  );
  return result.rows.map((row) => funnelGroupOf({ row, groupBy }));
}

/** The funnel from every lead of the cohort: what `readFunnel` answers with `asOf`, by team or mid-day. */
export async function readFunnelFromLeads(options: FunnelQuery): Promise<FunnelGroup[]> {
  const { filters, groupBy } = options;
  const sql = sqlParameters([options.tenantId]);
  // 'infinity' makes "reached by asOf" the same test with and without asOf.
  const asOf = `${sql.add(options.asOf ?? 'infinity')}::timestamptz`;
  const conditions = ['f.tenant_id = $1', `f.captured_at <= ${asOf}`, `(f.merged_at IS NULL OR f.merged_at > ${asOf})`];
  if (filters.from !== undefined) conditions.push(`f.captured_at >= ${sql.add(filters.from)}::timestamptz`);
  if (filters.to !== undefined) conditions.push(`f.captured_at < ${sql.add(filters.to)}::timestamptz`);
  if (filters.channel !== undefined) conditions.push(`f.channel = ${sql.add(filters.channel)}`);
  if (filters.campaign !== undefined) conditions.push(`f.campaign = ${sql.add(filters.campaign)}`);
  if (filters.source !== undefined) conditions.push(`f.source = ${sql.add(filters.source)}`);
  if (filters.team !== undefined) conditions.push(`f.team = ${sql.add(filters.team)}`);
  const where = conditions.join(' AND ');
  const inner = groupBy.map((dimension, index) => `${dimensionSql[dimension].group} AS d${index}`);
  const outer = groupBy.map(
    (dimension, index) => `${dimensionSql[dimension].answer.replace('$', `d${index}`)} AS g${index}`,
  );
  const positions = groupBy.map((_, index) => index + 1).join(', ');
  const groupInner = groupBy.length > 0 ? `GROUP BY ${positions}` : '';
  const reached = (column: string) => `${column} <= ${asOf}`;
  const both = (to: string, from: string) => `${reached(to)} AND ${reached(from)}`;
  const seconds = (to: string, from: string) =>
    `sum(date_part('epoch', ${to} - ${from})) FILTER (WHERE ${both(to, from)})`;
  // The leads' steps and the wins are counted apart and added up by group: wins are few, and a join of
  // every lead to them would cost more than counting the leads. An opportunity's wins never overlap (a
  // reopen ends one before the next), so at most one stands at any instant: one per won lead.
  const result = await options.pool.query<Record<string, string | number | null>>(
    `SELECT ${[...outer, ''].join(', ')}
       sum(leads) AS leads, sum(mql) AS mql, sum(sql) AS sql, sum(opportunities) AS opportunities, sum(won) AS won,
       sum(lead_to_mql) / nullif(sum(mql), 0) / 3600 AS lead_to_mql,
       sum(mql_to_sql) / nullif(sum(mql_and_sql), 0) / 3600 AS mql_to_sql,
       sum(sql_to_opportunity) / nullif(sum(sql_and_opportunity), 0) / 3600 AS sql_to_opportunity,
       sum(opportunity_to_won) / nullif(sum(won), 0) / 3600 AS opportunity_to_won
     FROM (
       SELECT ${[...inner, ''].join(', ')}
         count(*) AS leads,
         count(*) FILTER (WHERE ${reached('f.mql_at')}) AS mql,
         count(*) FILTER (WHERE ${reached('f.sql_at')}) AS sql,
         count(*) FILTER (WHERE ${reached('f.converted_at')}) AS opportunities,
         0 AS won,
         count(*) FILTER (WHERE ${both('f.sql_at', 'f.mql_at')}) AS mql_and_sql,
         count(*) FILTER (WHERE ${both('f.converted_at', 'f.sql_at')}) AS sql_and_opportunity,
         ${seconds('f.mql_at', 'f.captured_at')} AS lead_to_mql,
         ${seconds('f.sql_at', 'f.mql_at')} AS mql_to_sql,
         ${seconds('f.converted_at', 'f.sql_at')} AS sql_to_opportunity,
         0 AS opportunity_to_won
       FROM funnel_leads f WHERE ${where} ${groupInner}
       UNION ALL
       SELECT ${[...inner, ''].join(', ')}
         0, 0, 0, 0, count(*), 0, 0, 0, 0, 0, sum(date_part('epoch', w.won_at - f.converted_at))
       FROM funnel_leads f
       JOIN funnel_wins w ON w.tenant_id = $1 AND w.opportunity_id = f.opportunity_id
       WHERE ${where} AND ${reached('f.converted_at')}
         AND w.won_at <= ${asOf} AND (w.reopened_at IS NULL OR w.reopened_at > ${asOf}) ${groupInner}
     ) AS parts
     ${groupBy.length > 0 ? `GROUP BY ${positions} ORDER BY ${positions}` : ''}`,
    sql.values,
  );
  return result.rows.map((row) => funnelGroupOf({ row, groupBy }));
}

function funnelGroupOf(options: {
  row: Record<string, string | number | null>;
  groupBy: readonly FunnelDimension[];
}): FunnelGroup {
  const { row, groupBy } = options;
  const count = (column: string) => Number(row[column] ?? 0);
  const counts = {
    leads: count('leads'),
    mql: count('mql'),
    sql: count('sql'),
    opportunities: count('opportunities'),
    won: count('won'),
  };
  const rate = (reached: number, of: number) => (of === 0 ? null : round(reached / of, 4));
  const meanHours = (column: string) => (row[column] === null ? null : round(Number(row[column]), 2));
  return {
    key: Object.fromEntries(
      groupBy.map((dimension, index) => [dimension, (row[`g${index}`] ?? null) as string | null]),
    ),
    counts,
    rates: {
      leadToMql: rate(counts.mql, counts.leads),
      mqlToSql: rate(counts.sql, counts.mql),
      sqlToOpportunity: rate(counts.opportunities, counts.sql),
      opportunityToWon: rate(counts.won, counts.opportunities),
    },
    hours: {
      leadToMql: meanHours('lead_to_mql'),
      mqlToSql: meanHours('mql_to_sql'),
      sqlToOpportunity: meanHours('sql_to_opportunity'),
      opportunityToWon: meanHours('opportunity_to_won'),
    },
  };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
