import type pg from 'pg';
import { periodBucket, sqlParameters } from '../reports/report-filters.ts';
import type { ReportFilters } from '../reports/report-filters.ts';

/** What response figures can be grouped by: the rep, the team, the lead's channel, the assignment's period. */
export const responseDimensions = ['ownerId', 'team', 'channel', 'day', 'week', 'month'] as const;
export type ResponseDimension = (typeof responseDimensions)[number];

export type ResponseGroup = {
  key: Partial<Record<ResponseDimension, string | null>>;
  assignments: number;
  /** Assignments by first-response SLA outcome (see the reporting view `response_assignments`). */
  sla: { met: number; late: number; breached: number; overdue: number; pending: number; ended: number };
  /** met / (met + late + breached + overdue); null when none of those. */
  compliance: number | null;
  /** First-response time in minutes over the assignments answered: mean, median and 90th percentile. */
  responseMinutes: { mean: number | null; p50: number | null; p90: number | null };
};

export type RepWorkload = {
  ownerId: string;
  /** Leads the rep owns now. */
  open: number;
  /** Of those, leads the rep has not yet accepted or contacted. */
  awaitingResponse: number;
  /** Of those, leads the rep has accepted or contacted. */
  inProgress: number;
};

const groupColumns: Record<ResponseDimension, string> = {
  ownerId: 'owner_id',
  team: 'team',
  channel: 'channel',
  day: periodBucket('day', 'assigned_at'),
  week: periodBucket('week', 'assigned_at'),
  month: periodBucket('month', 'assigned_at'),
};

type Filters = Omit<ReportFilters, 'format'>;

function conditionsOf(options: { tenantId: string; filters: Filters; period: boolean }) {
  const { filters } = options;
  const sql = sqlParameters([options.tenantId]);
  const conditions = ['tenant_id = $1'];
  if (options.period && filters.from !== undefined) {
    conditions.push(`assigned_at >= ${sql.add(filters.from)}::timestamptz`);
  }
  if (options.period && filters.to !== undefined) conditions.push(`assigned_at < ${sql.add(filters.to)}::timestamptz`);
  if (filters.channel !== undefined) conditions.push(`channel = ${sql.add(filters.channel)}`);
  if (filters.campaign !== undefined) conditions.push(`campaign = ${sql.add(filters.campaign)}`);
  if (filters.team !== undefined) conditions.push(`team = ${sql.add(filters.team)}`);
  return { sql, where: conditions.join(' AND ') };
}

/**
 * First-response time and SLA compliance of the assignments made in the period (from, to on the
 * assignment time), by rep, team, channel or period. Overdue and pending are judged at `now`.
 */
export async function readResponse(options: {
  pool: pg.Pool;
  tenantId: string;
  filters: Filters;
  groupBy: readonly ResponseDimension[];
  /** The instant overdue is judged at (ISO 8601); the database's clock when absent. */
  now?: string;
}): Promise<ResponseGroup[]> {
  const { groupBy } = options;
  const { sql, where } = conditionsOf({ ...options, period: true });
  const now = options.now === undefined ? 'now()' : `${sql.add(options.now)}::timestamptz`;
  const keys = groupBy.map((dimension, index) => `${groupColumns[dimension]} AS g${index}`);
  const positions = groupBy.map((_, index) => index + 1).join(', ');
  const minutes = "date_part('epoch', responded_at - assigned_at) / 60";
  const result = await options.pool.query<Record<string, string | number | null>>(
    `SELECT ${[...keys, ''].join(', ')}
       count(*) AS assignments,
       count(*) FILTER (WHERE responded_at IS NOT NULL AND (due_at IS NULL OR responded_at <= due_at)) AS met,
       count(*) FILTER (WHERE responded_at > due_at) AS late,
       count(*) FILTER (WHERE responded_at IS NULL AND breached_at IS NOT NULL) AS breached,
       count(*) FILTER (WHERE responded_at IS NULL AND breached_at IS NULL AND ended_at IS NOT NULL) AS ended,
       count(*) FILTER (WHERE responded_at IS NULL AND breached_at IS NULL AND ended_at IS NULL AND due_at < ${now}) AS overdue,
       count(*) FILTER (WHERE responded_at IS NULL AND breached_at IS NULL AND ended_at IS NULL
         AND (due_at IS NULL OR due_at >= ${now})) AS pending,
       avg(${minutes}) AS mean_minutes,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ${minutes}) AS p50_minutes,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY ${minutes}) AS p90_minutes
     FROM response_assignments
     WHERE ${where}
     ${groupBy.length > 0 ? `GROUP BY ${positions} ORDER BY ${positions}` : ''}`,
    sql.values,
  );
  return result.rows.map((row) => {
    const count = (column: string) => Number(row[column] ?? 0);
    const sla = {
      met: count('met'),
      late: count('late'),
      breached: count('breached'),
      overdue: count('overdue'),
      pending: count('pending'),
      ended: count('ended'),
    };
    const judged = sla.met + sla.late + sla.breached + sla.overdue;
    const minutesOf = (column: string) => (row[column] === null ? null : Math.round(Number(row[column]) * 100) / 100);
    return {
      key: Object.fromEntries(
        groupBy.map((dimension, index) => [dimension, (row[`g${index}`] ?? null) as string | null]),
      ),
      assignments: count('assignments'),
      sla,
      compliance: judged === 0 ? null : Math.round((sla.met / judged) * 10_000) / 10_000,
      responseMinutes: {
        mean: minutesOf('mean_minutes'),
        p50: minutesOf('p50_minutes'),
        p90: minutesOf('p90_minutes'),
      },
    };
  });
}

/**
 * The leads each rep owns now (open assignments), for the channel, campaign and team filters; the
 * period does not apply. Reps who own nothing are not listed: the events do not name every rep.
 */
export async function readWorkload(options: {
  pool: pg.Pool;
  tenantId: string;
  filters: Filters;
}): Promise<RepWorkload[]> {
  const { sql, where } = conditionsOf({ ...options, period: false });
  const result = await options.pool.query<{ owner_id: string; open: number; awaiting: number }>(
    `SELECT owner_id, count(*)::int AS open, count(*) FILTER (WHERE responded_at IS NULL)::int AS awaiting
     FROM response_assignments
     WHERE ${where} AND ended_at IS NULL
     GROUP BY owner_id ORDER BY open DESC, owner_id`,
    sql.values,
  );
  return result.rows.map((row) => ({
    ownerId: row.owner_id,
    open: row.open,
    awaitingResponse: row.awaiting,
    inProgress: row.open - row.awaiting,
  }));
}
