import type pg from 'pg';
import type { RepLoad } from '../assignment/index.ts';
import type { Db } from '../db.ts';

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
 * Stores reps' assigned-today counters and recounts their open leads from `routing_leads`, in one
 * statement; call it after the leads are saved, under the tenants' routing locks.
 */
export async function saveRepLoads(
  client: pg.PoolClient,
  loads: ReadonlyArray<{ tenantId: string; repId: string; load: RepLoad }>,
): Promise<void> {
  // Sorted, so two transactions touching the same reps lock their rows in one order.
  const sorted = [...loads].sort((a, b) => compare([a.tenantId, a.repId], [b.tenantId, b.repId]));
  if (sorted.length === 0) return;
  await client.query(
    `INSERT INTO routing_rep_loads (tenant_id, rep_id, open_leads, assigned_today, day)
     SELECT s.tenant_id, s.rep_id, ${openLeadsOf('s.tenant_id', 's.rep_id')}, s.assigned_today, s.day
       FROM unnest($1::text[], $2::text[], $3::int[], $4::text[]) AS s(tenant_id, rep_id, assigned_today, day)
     ON CONFLICT (tenant_id, rep_id) DO UPDATE
       SET open_leads = EXCLUDED.open_leads, assigned_today = EXCLUDED.assigned_today, day = EXCLUDED.day`,
    [
      sorted.map((entry) => entry.tenantId),
      sorted.map((entry) => entry.repId),
      sorted.map((entry) => entry.load.assignedToday),
      sorted.map((entry) => entry.load.day),
    ],
  );
}

function compare(a: readonly string[], b: readonly string[]): number {
  const [left, right] = [JSON.stringify(a), JSON.stringify(b)];
  return left < right ? -1 : left > right ? 1 : 0;
}
