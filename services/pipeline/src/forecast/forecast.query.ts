import type pg from 'pg';

/** What the forecast groups open opportunities by. */
export const forecastGroupings = ['month', 'owner', 'stage'] as const;
export type ForecastGrouping = (typeof forecastGroupings)[number];

/** Amounts of one group in one currency; amounts in different currencies are never added up. */
export type ForecastRow = {
  /** The close month (YYYY-MM), the owner id or the stage id. */
  key: string;
  /** The stage's name, for stage groups. */
  label?: string;
  /** The stage's pipeline, for stage groups. */
  pipelineId?: string;
  currency: string;
  opportunities: number;
  /** Sum of the expected amounts. */
  amount: number;
  /** Sum of amount × stage probability, rounded to cents. */
  weightedAmount: number;
};

export type ForecastTotal = Omit<ForecastRow, 'key' | 'label' | 'pipelineId'>;

export type Forecast = { rows: ForecastRow[]; totals: ForecastTotal[] };

type AmountColumns = { currency: string; opportunities: number; amount: string; weighted_amount: string };
type GroupRow = AmountColumns & { key: string; label: string | null; pipeline_id: string | null };

// Per grouping: the key, the label and pipeline (stage only), what it groups by and the order of groups.
const groupings: Record<ForecastGrouping, { select: string; groupBy: string; orderBy: string }> = {
  month: {
    select: `to_char(close_date, 'YYYY-MM') AS key, NULL AS label, NULL AS pipeline_id`,
    groupBy: `to_char(close_date, 'YYYY-MM')`,
    orderBy: 'key',
  },
  owner: { select: 'owner_id AS key, NULL AS label, NULL AS pipeline_id', groupBy: 'owner_id', orderBy: 'key' },
  stage: {
    select: 'stage_id AS key, min(stage_name) AS label, pipeline_id',
    groupBy: 'pipeline_id, stage_id',
    orderBy: 'pipeline_id, min(stage_position), key',
  },
};

const amounts = `currency, count(*)::int AS opportunities, sum(amount)::text AS amount,
  round(sum(amount * probability / 100.0), 2)::text AS weighted_amount`;
const openInRange = `tenant_id = $1 AND status = 'open'
  AND ($2::date IS NULL OR close_date >= $2::date) AND ($3::date IS NULL OR close_date <= $3::date)`;

/**
 * The weighted forecast of a tenant's open opportunities whose expected close date lies in
 * [`from`, `to`] (each bound optional): per group and currency, and in total per currency.
 */
export async function queryForecast(options: {
  pool: pg.Pool;
  tenantId: string;
  groupBy: ForecastGrouping;
  from?: string | undefined;
  to?: string | undefined;
}): Promise<Forecast> {
  const { pool, tenantId } = options;
  const grouping = groupings[options.groupBy];
  const values = [tenantId, options.from ?? null, options.to ?? null];
  const [groups, totals] = await Promise.all([
    pool.query<GroupRow>(
      `SELECT ${grouping.select}, ${amounts} FROM pipeline_opportunities WHERE ${openInRange}
       GROUP BY ${grouping.groupBy}, currency ORDER BY ${grouping.orderBy}, currency`,
      values,
    ),
    pool.query<AmountColumns>(
      `SELECT ${amounts} FROM pipeline_opportunities WHERE ${openInRange} GROUP BY currency ORDER BY currency`,
      values,
    ),
  ]);
  return {
    rows: groups.rows.map((row) => ({
      key: row.key,
      ...(row.label === null ? {} : { label: row.label }),
      ...(row.pipeline_id === null ? {} : { pipelineId: row.pipeline_id }),
      ...amountsOf(row),
    })),
    totals: totals.rows.map(amountsOf),
  };
}

function amountsOf(row: AmountColumns): ForecastTotal {
  return {
    currency: row.currency,
    opportunities: row.opportunities,
    amount: Number(row.amount),
    weightedAmount: Number(row.weighted_amount),
  };
}
