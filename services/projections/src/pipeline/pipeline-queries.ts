import type pg from 'pg';
import { sqlParameters } from '../reports/report-filters.ts';
import type { ReportFilters } from '../reports/report-filters.ts';

/** What pipeline rows can be split by, besides their stage or month. */
export const pipelineSplits = ['channel', 'campaign', 'ownerId', 'pipelineId'] as const;
export type PipelineSplit = (typeof pipelineSplits)[number];

const splitColumns: Record<PipelineSplit, string> = {
  channel: 's.channel',
  campaign: 's.campaign',
  ownerId: 's.owner_id',
  pipelineId: 's.pipeline_id',
};

/** What every pipeline query takes: the tenant, the filters (without the output format) and the time. */
export type PipelineQuery = {
  pool: pg.Pool;
  tenantId: string;
  filters: Omit<ReportFilters, 'format'>;
  /** An instant (ISO 8601): the pipeline as it stood then. Absent: now, as far as the events have arrived. */
  asOf?: string;
};

type Parameters = ReturnType<typeof sqlParameters>;

/**
 * The conditions on `opportunity_states s` for the tenant, the state valid at `asOf` (or the current
 * one), the channel and campaign of the converted lead, and its team; `period` names the column the
 * period filters.
 */
function stateConditions(query: PipelineQuery, sql: Parameters, period: string): string[] {
  const { filters, asOf } = query;
  const conditions = ['s.tenant_id = $1'];
  if (asOf === undefined) conditions.push('s.valid_to IS NULL');
  else {
    const at = sql.add(asOf);
    conditions.push(`s.valid_from <= ${at}::timestamptz`, `(s.valid_to IS NULL OR s.valid_to > ${at}::timestamptz)`);
  }
  conditions.push(...commonConditions({ filters, sql, alias: 's', period }));
  return conditions;
}

function commonConditions(options: {
  filters: PipelineQuery['filters'];
  sql: Parameters;
  alias: string;
  period: string;
}): string[] {
  const { filters, sql, alias, period } = options;
  const conditions: string[] = [];
  if (filters.from !== undefined) conditions.push(`${period} >= ${sql.add(filters.from)}::timestamptz`);
  if (filters.to !== undefined) conditions.push(`${period} < ${sql.add(filters.to)}::timestamptz`);
  if (filters.channel !== undefined) conditions.push(`${alias}.channel = ${sql.add(filters.channel)}`);
  if (filters.campaign !== undefined) conditions.push(`${alias}.campaign = ${sql.add(filters.campaign)}`);
  if (filters.team !== undefined) {
    // The team is the converted lead's pool, as the leads read model has it now.
    conditions.push(
      `EXISTS (SELECT 1 FROM leads l WHERE l.tenant_id = ${alias}.tenant_id AND l.lead_id = ${alias}.lead_id ` +
        `AND l.pool_id = ${sql.add(filters.team)})`,
    );
  }
  return conditions;
}

export type StageRow = {
  stageId: string;
  stageName: string;
  position: number;
  split: string | null;
  currency: string;
  count: number;
  amount: number;
  weightedAmount: number;
  stalled: number;
};

/** Open opportunities per stage (in pipeline order): how many, their amount and amount × stage probability. */
export async function readPipelineByStage(query: PipelineQuery & { split?: PipelineSplit }): Promise<StageRow[]> {
  const sql = sqlParameters([query.tenantId]);
  const where = [...stateConditions(query, sql, 's.opened_at'), `s.status = 'open'`];
  const split = query.split === undefined ? 'NULL::text' : splitColumns[query.split];
  const result = await query.pool.query<StageRow>(
    `SELECT s.stage_id AS "stageId", min(s.stage_name) AS "stageName", min(s.stage_position) AS position,
       ${split} AS split, s.currency, count(*)::int AS count, sum(s.amount)::float8 AS amount,
       round(sum(s.amount * s.probability / 100.0), 2)::float8 AS "weightedAmount",
       count(*) FILTER (WHERE s.stalled)::int AS stalled
     FROM opportunity_states s WHERE ${where.join(' AND ')}
     GROUP BY s.stage_id, 4, s.currency ORDER BY position, "stageId", split NULLS FIRST, currency`,
    sql.values,
  );
  return result.rows;
}

export type ForecastRow = {
  closeMonth: string;
  forecastCategory: string;
  split: string | null;
  currency: string;
  count: number;
  amount: number;
  weightedAmount: number;
};

/**
 * Open opportunities by the month they are expected to close and forecast category: amount and
 * weighted amount (amount × stage probability). The period filters the expected close date.
 */
export async function readForecast(query: PipelineQuery & { split?: PipelineSplit }): Promise<ForecastRow[]> {
  const sql = sqlParameters([query.tenantId]);
  const where = [...stateConditions(query, sql, 's.expected_close_date'), `s.status = 'open'`];
  const split = query.split === undefined ? 'NULL::text' : splitColumns[query.split];
  const result = await query.pool.query<ForecastRow>(
    `SELECT to_char(s.expected_close_date, 'YYYY-MM') AS "closeMonth", s.forecast_category AS "forecastCategory",
       ${split} AS split, s.currency, count(*)::int AS count, sum(s.amount)::float8 AS amount,
       round(sum(s.amount * s.probability / 100.0), 2)::float8 AS "weightedAmount"
     FROM opportunity_states s WHERE ${where.join(' AND ')}
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3 NULLS FIRST, 4`,
    sql.values,
  );
  return result.rows;
}

export type StageConversionRow = {
  stageId: string;
  stageName: string;
  position: number;
  entered: number;
  /** Left forward or won. */
  advanced: number;
  movedBack: number;
  lost: number;
  /** Still in the stage (at `asOf`). */
  current: number;
  /** advanced / stays that ended; null when none ended. */
  conversionRate: number | null;
  averageDays: number | null;
  medianDays: number | null;
};

/**
 * Each stage's stays that began in the period: how they ended, the share that moved on, and the days
 * they took (of those that ended). With `asOf`, stays begun later are left out and later exits not yet made.
 */
export async function readStageConversion(query: PipelineQuery): Promise<StageConversionRow[]> {
  const sql = sqlParameters([query.tenantId]);
  const conditions = [
    'v.tenant_id = $1',
    ...commonConditions({ filters: query.filters, sql, alias: 'v', period: 'v.entered_at' }),
  ];
  let ended = 'v.left_at IS NOT NULL';
  if (query.asOf !== undefined) {
    const at = sql.add(query.asOf);
    conditions.push(`v.entered_at <= ${at}::timestamptz`);
    ended = `v.left_at <= ${at}::timestamptz`;
  }
  const result = await query.pool.query<StageConversionRow>(
    `SELECT v.stage_id AS "stageId", min(v.stage_name) AS "stageName", min(v.stage_position) AS position,
       count(*)::int AS entered,
       count(*) FILTER (WHERE ${ended} AND v.exit IN ('forward', 'won'))::int AS advanced,
       count(*) FILTER (WHERE ${ended} AND v.exit = 'backward')::int AS "movedBack",
       count(*) FILTER (WHERE ${ended} AND v.exit = 'lost')::int AS lost,
       count(*) FILTER (WHERE NOT coalesce(${ended}, false))::int AS current,
       round(count(*) FILTER (WHERE ${ended} AND v.exit IN ('forward', 'won'))::numeric
         / nullif(count(*) FILTER (WHERE ${ended}), 0), 4)::float8 AS "conversionRate",
       round((avg(extract(epoch FROM v.left_at - v.entered_at)) FILTER (WHERE ${ended}) / 86400)::numeric, 2)::float8
         AS "averageDays",
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM v.left_at - v.entered_at))
         FILTER (WHERE ${ended}) / 86400)::numeric, 2)::float8 AS "medianDays"
     FROM opportunity_stage_visits v WHERE ${conditions.join(' AND ')}
     GROUP BY v.stage_id ORDER BY position, "stageId"`,
    sql.values,
  );
  return result.rows;
}

export type OutcomeRow = {
  outcome: 'won' | 'lost';
  /** The lost reason; null for won deals. */
  reason: string | null;
  currency: string;
  count: number;
  amount: number;
};

/** Deals won and lost in the period (by close time), lost ones by reason; with `asOf`, as closed then. */
export async function readOutcomes(query: PipelineQuery): Promise<OutcomeRow[]> {
  const sql = sqlParameters([query.tenantId]);
  const where = [...stateConditions(query, sql, 's.closed_at'), `s.status IN ('won', 'lost')`];
  const result = await query.pool.query<OutcomeRow>(
    `SELECT s.status AS outcome, s.lost_reason AS reason, s.currency, count(*)::int AS count,
       sum(s.amount)::float8 AS amount
     FROM opportunity_states s WHERE ${where.join(' AND ')}
     GROUP BY 1, 2, 3 ORDER BY 1 DESC, count DESC, 2, 3`,
    sql.values,
  );
  return result.rows;
}
