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
 * converted. A merged lead counts zero but still names its group, so the group's row exists whatever
 * events a batch held: the rows do not depend on where batches begin and end.
 */
export function funnelDailyChange(options: { sign: 1 | -1; where: string }): string {
  const { sign, where } = options;
  const live = 'f.merged_at IS NULL';
  // Seconds always carry extract's six decimals, a zero too, so a sum reads the same however batches were cut.
  const seconds = (to: string, from: string) =>
    `coalesce(sum(extract(epoch FROM ${to} - ${from})) FILTER (WHERE ${live}), 0.000000)`;
  const add = counters.map((column) => `${column} = d.${column} + excluded.${column}`).join(', ');
  return `
    WITH change AS (
      SELECT f.tenant_id, f.captured_day, f.channel, f.campaign, f.source,
        ${[
          `count(*) FILTER (WHERE ${live})`,
          `count(f.mql_at) FILTER (WHERE ${live})`,
          `count(f.sql_at) FILTER (WHERE ${live})`,
          `count(f.converted_at) FILTER (WHERE ${live})`,
          'coalesce(sum(w.won), 0)',
          `count(*) FILTER (WHERE ${live} AND f.sql_at IS NOT NULL AND f.mql_at IS NOT NULL)`,
          `count(*) FILTER (WHERE ${live} AND f.converted_at IS NOT NULL AND f.sql_at IS NOT NULL)`,
          seconds('f.mql_at', 'f.captured_at'),
          seconds('f.sql_at', 'f.mql_at'),
          seconds('f.converted_at', 'f.sql_at'),
          'coalesce(sum(w.seconds), 0.000000)',
        ]
          .map((value, index) => `${sign} * ${value} AS ${counters[index]}`)
          .join(', ')}
      FROM funnel_leads f
      LEFT JOIN LATERAL (
        SELECT count(*) AS won, sum(extract(epoch FROM fw.won_at - f.converted_at)) AS seconds
        FROM funnel_wins fw
        WHERE fw.tenant_id = f.tenant_id AND fw.opportunity_id = f.opportunity_id AND fw.reopened_at IS NULL
      ) AS w ON f.converted_at IS NOT NULL AND ${live}
      WHERE ${where}
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
