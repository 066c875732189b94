/* global URLSearchParams */
const day = 86_400_000;

/** `YYYY-MM-DD` of a time, in UTC like the reports. */
export function isoDay(time) {
  return new Date(time).toISOString().slice(0, 10);
}

/** Every day from `from` to `to` (both `YYYY-MM-DD`, inclusive), for charts that show empty days too. */
export function daysBetween(from, to) {
  const days = [];
  for (let time = Date.parse(`${from}T00:00:00Z`); time <= Date.parse(`${to}T00:00:00Z`); time += day) {
    days.push(isoDay(time));
  }
  return days;
}

/**
 * The filters the page opens with: those in its address (`?from=2025-03-01&to=…&channel=…&team=…`, so a
 * view can be shared), else the last 30 days, all channels, all teams.
 */
export function initialFilters(search) {
  const params = new URLSearchParams(search);
  const today = isoDay(Date.now());
  return {
    from: params.get('from') ?? isoDay(Date.now() - 29 * day),
    to: params.get('to') ?? today,
    channel: params.get('channel') ?? '',
    team: params.get('team') ?? '',
  };
}

/** The query API parameters of the dashboard filters: the period as capture times, the team as the pool. */
export function apiQuery(filters) {
  return {
    capturedFrom: filters.from,
    capturedTo: isoDay(Date.parse(`${filters.to}T00:00:00Z`) + day),
    channel: filters.channel,
    poolId: filters.team,
  };
}
