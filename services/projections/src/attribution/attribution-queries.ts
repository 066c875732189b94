import type pg from 'pg';
import { sqlParameters } from '../reports/report-filters.ts';
import type { ReportFilters } from '../reports/report-filters.ts';
import { roiRows } from './channel-roi.ts';
import type { KeyedAmount, ModelRevenue, RoiDimension, RoiRow } from './channel-roi.ts';

export type AttributionQuery = {
  pool: pg.Pool;
  tenantId: string;
  filters: Omit<ReportFilters, 'format'>;
  /** One model only; absent: every model. */
  model?: string;
  groupBy: RoiDimension;
};

type Parameters = ReturnType<typeof sqlParameters>;

/** The credit rows of the tenant, the period (win time) and model, leaving out wins undone by a reopening. */
function creditSource(query: AttributionQuery, sql: Parameters): string {
  const { filters } = query;
  const table = query.groupBy === 'channel' ? 'attribution_channel_credits' : 'attribution_campaign_credits';
  const conditions = ['c.tenant_id = $1', '(r.reopened_at IS NULL OR c.won_at > r.reopened_at)'];
  if (filters.from !== undefined) conditions.push(`c.won_at >= ${sql.add(filters.from)}::timestamptz`);
  if (filters.to !== undefined) conditions.push(`c.won_at < ${sql.add(filters.to)}::timestamptz`);
  if (query.model !== undefined) conditions.push(`c.model = ${sql.add(query.model)}`);
  // The channel and campaign filters name what was credited, not the converted lead's first touch.
  if (filters.channel !== undefined && query.groupBy === 'channel') {
    conditions.push(`c.channel = ${sql.add(filters.channel)}`);
  }
  if (filters.campaign !== undefined && query.groupBy === 'campaign') {
    conditions.push(`c.campaign = ${sql.add(filters.campaign)}`);
  }
  if (filters.team !== undefined) {
    conditions.push(
      `EXISTS (SELECT 1 FROM opportunity_states s JOIN leads l ON l.tenant_id = s.tenant_id AND l.lead_id = s.lead_id
        WHERE s.tenant_id = c.tenant_id AND s.opportunity_id = c.opportunity_id AND s.valid_to IS NULL
          AND l.pool_id = ${sql.add(filters.team)})`,
    );
  }
  return `${table} c LEFT JOIN attribution_reopenings r ON r.tenant_id = c.tenant_id AND r.opportunity_id = c.opportunity_id
    WHERE ${conditions.join(' AND ')}`;
}

export type CreditRow = { model: string; key: string | null; currency: string; deals: number; amount: number };

/** Revenue credited by each model to each channel or campaign, over the deals won in the period. */
export async function readCredit(query: AttributionQuery): Promise<CreditRow[]> {
  const sql = sqlParameters([query.tenantId]);
  const key = query.groupBy === 'channel' ? 'c.channel' : 'c.campaign';
  // A deal credits a channel or campaign in one row per model (the tables' keys), so rows count deals.
  const result = await query.pool.query<CreditRow>(
    `SELECT c.model, ${key} AS key, c.currency, count(*)::int AS deals,
       sum(c.amount)::float8 AS amount
     FROM ${creditSource(query, sql)}
     GROUP BY 1, 2, 3 ORDER BY 1, 2 NULLS LAST, 3`,
    sql.values,
  );
  return result.rows;
}

/**
 * Cost per lead, CAC and ROI per channel or campaign over the period: campaign costs of its days, leads
 * captured in it (by first touch), deals won in it (by the converted lead's first touch) and the revenue
 * each model credits to the channel or campaign. Costs are not per team, so there is no team filter;
 * amounts are assumed to share one currency.
 */
export async function readRoi(query: AttributionQuery): Promise<RoiRow[]> {
  const { filters, pool, tenantId } = query;
  const dimension = query.groupBy;
  const keyed = async (text: string, values: unknown[]) =>
    (await pool.query<KeyedAmount>(text, values)).rows.map((row) => ({ key: row.key, amount: Number(row.amount) }));

  const costSql = sqlParameters([tenantId]);
  const costWhere = ['tenant_id = $1'];
  if (filters.from !== undefined)
    costWhere.push(`day >= (${costSql.add(filters.from)}::timestamptz AT TIME ZONE 'UTC')::date`);
  if (filters.to !== undefined)
    costWhere.push(`day < (${costSql.add(filters.to)}::timestamptz AT TIME ZONE 'UTC')::date`);
  if (filters.channel !== undefined) costWhere.push(`channel = ${costSql.add(filters.channel)}`);
  if (filters.campaign !== undefined) costWhere.push(`campaign = ${costSql.add(filters.campaign)}`);

  const firstTouch = (table: string, period: string, extra: string[]) => {
    const sql = sqlParameters([tenantId]);
    const where = ['tenant_id = $1', ...extra];
    if (filters.from !== undefined) where.push(`${period} >= ${sql.add(filters.from)}::timestamptz`);
    if (filters.to !== undefined) where.push(`${period} < ${sql.add(filters.to)}::timestamptz`);
    if (filters.channel !== undefined) where.push(`channel = ${sql.add(filters.channel)}`);
    if (filters.campaign !== undefined) where.push(`campaign = ${sql.add(filters.campaign)}`);
    return {
      text: `SELECT ${dimension} AS key, count(*) AS amount FROM ${table} WHERE ${where.join(' AND ')} GROUP BY 1`,
      values: sql.values,
    };
  };
  const leadCounts = firstTouch('leads', 'captured_at', ['merged_into IS NULL']);
  const wonCounts = firstTouch('opportunity_states', 'closed_at', ['valid_to IS NULL', `status = 'won'`]);

  const creditSql = sqlParameters([tenantId]);
  const creditKey = dimension === 'channel' ? 'c.channel' : 'c.campaign';
  const [costs, leads, wonDeals, revenue] = await Promise.all([
    keyed(
      `SELECT ${dimension} AS key, sum(amount) AS amount FROM campaign_costs WHERE ${costWhere.join(' AND ')} GROUP BY 1`,
      costSql.values,
    ),
    keyed(leadCounts.text, leadCounts.values),
    keyed(wonCounts.text, wonCounts.values),
    pool
      .query<ModelRevenue>(
        `SELECT c.model, ${creditKey} AS key, sum(c.amount)::float8 AS amount
         FROM ${creditSource({ ...query, filters: { ...filters, team: undefined } }, creditSql)} GROUP BY 1, 2`,
        creditSql.values,
      )
      .then((result) => result.rows),
  ]);
  const models = query.model !== undefined ? [query.model] : [...new Set(revenue.map((row) => row.model))].sort();
  return roiRows({ costs, leads, wonDeals, revenue, models });
}
