import type pg from 'pg';
import type { RepLoad } from '../assignment/index.ts';
import type { Db } from '../db.ts';

/** A rep of a tenant. */
export type TenantRep = { tenantId: string; repId: string };

/** A change of a rep's assignments on their local `day`: +1 for one routing did not choose, -1 for a refused one. */
export type AssignedTodayChange = TenantRep & { day: string; delta: number };

const openLeadsOf = (tenant: string, rep: string) =>
  `(SELECT count(*) FROM routing_leads l WHERE l.tenant_id = ${tenant} AND l.owner_id = ${rep} AND l.open)::int`;

/**
 * Every rep's load in the tenant: open leads counted from `routing_leads` (the truth, reservations
 * included, so a cap holds before the LeadAssigned arrives), assigned-today from `routing_rep_loads`.
 * Read under the tenant's routing lock when an assignment follows.
 */
export async function readRepLoads(db: Db, tenantId: string): Promise<Record<string, RepLoad>> {
  const result = await db.query<{ rep_id: string; open_leads: number; assigned_today: number; day: string }>(
    `SELECT reps.rep_id, ${openLeadsOf('$1', 'reps.rep_id')} AS open_leads,
            coalesce(loads.assigned_today, 0) AS assigned_today,
            coalesce(loads.day, '') AS day
       FROM (SELECT rep_id FROM routing_reps WHERE tenant_id = $1
             UNION SELECT rep_id FROM routing_rep_loads WHERE tenant_id = $1) AS reps
       LEFT JOIN routing_rep_loads loads ON loads.tenant_id = $1 AND loads.rep_id = reps.rep_id`,
    [tenantId],
  );
  return Object.fromEntries(
    result.rows.map((row) => [
      row.rep_id,
      { openLeads: row.open_leads, assignedToday: row.assigned_today, day: row.day },
    ]),
  );
}

/**
 * Stores the reps' assigned-today counters and recounts their open leads from `routing_leads`, in one
 * statement; call it after the leads are saved.
 */
export async function saveRepLoads(
  client: pg.PoolClient,
  options: { tenantId: string; loads: Readonly<Record<string, RepLoad>> },
): Promise<void> {
  const entries = Object.entries(options.loads).sort(([a], [b]) => (a < b ? -1 : 1));
  if (entries.length === 0) return;
  await client.query(
    `INSERT INTO routing_rep_loads (tenant_id, rep_id, open_leads, assigned_today, day)
     SELECT $1, s.rep_id, ${openLeadsOf('$1', 's.rep_id')}, s.assigned_today, s.day
       FROM unnest($2::text[], $3::int[], $4::text[]) AS s(rep_id, assigned_today, day)
     ON CONFLICT (tenant_id, rep_id) DO UPDATE
       SET open_leads = EXCLUDED.open_leads, assigned_today = EXCLUDED.assigned_today, day = EXCLUDED.day`,
    [
      options.tenantId,
      entries.map(([repId]) => repId),
      entries.map(([, load]) => load.assignedToday),
      entries.map(([, load]) => load.day),
    ],
  );
}

/** Sets the reps' stored open counts to what `routing_leads` says; idempotent. */
export async function recountOpenLeads(db: Db, reps: readonly TenantRep[]): Promise<void> {
  const unique = uniqueReps(reps);
  if (unique.length === 0) return;
  await db.query(
    `INSERT INTO routing_rep_loads (tenant_id, rep_id, open_leads)
     SELECT s.tenant_id, s.rep_id, ${openLeadsOf('s.tenant_id', 's.rep_id')}
       FROM unnest($1::text[], $2::text[]) AS s(tenant_id, rep_id)
     ON CONFLICT (tenant_id, rep_id) DO UPDATE SET open_leads = EXCLUDED.open_leads`,
    [unique.map((rep) => rep.tenantId), unique.map((rep) => rep.repId)],
  );
}

/**
 * Applies changes to the reps' assigned-today counters, each on its own local day: a change on the day
 * the counter holds moves it (never below zero), one on a later day starts that day, one on an earlier
 * day no longer counts.
 */
export async function changeAssignedToday(
  client: pg.PoolClient,
  changes: readonly AssignedTodayChange[],
): Promise<void> {
  // Per rep, only the changes of the latest day matter: that day replaces any earlier one.
  const latest = new Map<string, AssignedTodayChange>();
  for (const change of changes) {
    const kept = latest.get(repKey(change));
    if (kept === undefined || kept.day < change.day) latest.set(repKey(change), { ...change });
    else if (kept.day === change.day) kept.delta += change.delta;
  }
  const merged = [...latest.keys()].sort().map((key) => latest.get(key) as AssignedTodayChange);
  if (merged.length === 0) return;
  const params = [
    merged.map((change) => change.tenantId),
    merged.map((change) => change.repId),
    merged.map((change) => change.day),
    merged.map((change) => change.delta),
  ];
  await client.query(
    `INSERT INTO routing_rep_loads (tenant_id, rep_id)
     SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (tenant_id, rep_id) DO NOTHING`,
    params.slice(0, 2),
  );
  await client.query(
    `UPDATE routing_rep_loads AS loads
        SET assigned_today = CASE WHEN loads.day = c.day THEN greatest(loads.assigned_today + c.delta, 0)
                                  ELSE greatest(c.delta, 0) END,
            day = c.day
       FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS c(tenant_id, rep_id, day, delta)
      WHERE loads.tenant_id = c.tenant_id AND loads.rep_id = c.rep_id AND loads.day <= c.day`,
    params,
  );
}

const repKey = (rep: TenantRep): string => JSON.stringify([rep.tenantId, rep.repId]);

// Sorted, so two transactions touching the same reps lock their rows in one order.
function uniqueReps(reps: readonly TenantRep[]): TenantRep[] {
  const byKey = new Map(reps.map((rep) => [repKey(rep), rep]));
  return [...byKey.keys()].sort().map((key) => byKey.get(key) as TenantRep);
}
