/**
 * The analytic reports' parameters (from, to, channel, team) for the dashboard filters: the period as
 * an end-exclusive range, like the lead counts' capture times.
 */
export function reportQuery({ filters, query }) {
  return { from: filters.from, to: query.capturedTo, channel: filters.channel, team: filters.team };
}
