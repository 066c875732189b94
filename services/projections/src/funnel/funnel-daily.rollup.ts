import type pg from 'pg';

const counters = [
  'leads',
  'mql',
  'sql',
  'opportunities',
  'won',
  'mql_and_sql',
  'sql_and_opportunity',
  'lead_to_mql_seconds',
  'mql_to_sql_seconds',
  'sql_to_opportunity_seconds',
  'opportunity_to_won_seconds',
] as const;

/**
 * The statement that adds (`sign` 1) or takes away (-1) what the funnel_leads rows matching `where` (alias
 * `f`) count for in funnel_daily and funnel_daily_by_channel. "Counts" is the funnel without `asOf`: a
 * lead not merged, each step it reached, and the standing (not reopened) win of its opportunity once it
 * converted.
 */
export function funnelDailyChange(options: { sign: 1 | -1; where: string }): string {
  const { sign, where } = options;
  const seconds = (to: string, from: string) => `sum(extract(epoch FROM ${to} - ${from}))`;
  const add = counters.map((column) => `${column} = d.${column} + excluded.${column}`).join(', ');
  return `
    WITH change AS (
      SELECT f.tenant_id, f.captured_day, f.channel, f.campaign, f.source,
        ${[
          'count(*)',
          'count(f.mql_at)',
          'count(f.sql_at)',
          'count(f.converted_at)',
          'coalesce(sum(w.won), 0)',
          'count(*) FILTER (WHERE f.sql_at IS NOT NULL AND f.mql_at IS NOT NULL)',
          'count(*) FILTER (WHERE f.converted_at IS NOT NULL AND f.sql_at IS NOT NULL)',
          `coalesce(${seconds('f.mql_at', 'f.captured_at')}, 0)`,
          `coalesce(${seconds('f.sql_at', 'f.mql_at')}, 0)`,
          `coalesce(${seconds('f.converted_at', 'f.sql_at')}, 0)`,
          'coalesce(sum(w.seconds), 0)',
        ]
          .map((value, index) => `${sign} * ${value} AS ${counters[index]}`)
          .join(', ')}
      FROM funnel_leads f
      LEFT JOIN LATERAL (
        SELECT count(*) AS won, sum(extract(epoch FROM fw.won_at - f.converted_at)) AS seconds
        FROM funnel_wins fw
        WHERE fw.tenant_id = f.tenant_id AND fw.opportunity_id = f.opportunity_id AND fw.reopened_at IS NULL
      ) AS w ON f.converted_at IS NOT NULL
      WHERE f.merged_at IS NULL AND (${where})
      GROUP BY 1, 2, 3, 4, 5
    ),
    by_source AS (
      INSERT INTO funnel_daily AS d (tenant_id, captured_day, channel, campaign, source, ${counters.join(', ')})
      SELECT * FROM change
      ON CONFLICT (tenant_id, captured_day, channel, campaign, source) DO UPDATE SET ${add}
    )
    INSERT INTO funnel_daily_by_channel AS d (tenant_id, captured_day, channel, ${counters.join(', ')})
    SELECT tenant_id, captured_day, channel, ${counters.map((column) => `sum(${column})`).join(', ')}
    FROM change GROUP BY 1, 2, 3
    ON CONFLICT (tenant_id, captured_day, channel) DO UPDATE SET ${add}`;
}

/**
 * Changes the funnel_leads and funnel_wins rows of the leads matching `where` (alias `f`, `$1` and on
 * for `values`) through `change`, keeping the daily sums in step: what they counted for before is taken
 * away and what they count for after is added, so every rule of the row scan holds in the rollup as is.
 */
export async function changeFunnelLeads(options: {
  client: pg.PoolClient;
  where: string;
  values: unknown[];
  change: () => Promise<unknown>;
}): Promise<void> {
  const { client, where, values } = options;
  await client.query(funnelDailyChange({ sign: -1, where }), values);
  await options.change();
  await client.query(funnelDailyChange({ sign: 1, where }), values);
}
