import type { RepLoad } from '../assignment/index.ts';
import { loadOn } from '../assignment/index.ts';
import type { Db } from '../db.ts';

/**
 * Every rep's load in the tenant: open leads counted from `routing_leads` (the truth, so a redelivered
 * event can never count twice), assigned-today from `routing_rep_loads`. Read under the tenant's
 * routing lock when an assignment follows.
 */
export async function readRepLoads(db: Db, tenantId: string): Promise<Record<string, RepLoad>> {
  const result = await db.query<{ rep_id: string; open_leads: number; assigned_today: number; day: string }>(
    `SELECT reps.rep_id,
            (SELECT count(*) FROM routing_leads l WHERE l.tenant_id = $1 AND l.owner_id = reps.rep_id AND l.open)::int
              AS open_leads,
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

export async function saveRepLoad(db: Db, options: { tenantId: string; repId: string; load: RepLoad }): Promise<void> {
  const { tenantId, repId, load } = options;
  await db.query(
    `INSERT INTO routing_rep_loads (tenant_id, rep_id, open_leads, assigned_today, day) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tenant_id, rep_id) DO UPDATE
       SET open_leads = EXCLUDED.open_leads, assigned_today = EXCLUDED.assigned_today, day = EXCLUDED.day`,
    [tenantId, repId, load.openLeads, load.assignedToday, load.day],
  );
}

/** Sets the reps' stored open counts to what `routing_leads` says; idempotent, so safe on redelivery. */
export async function recountOpenLeads(
  db: Db,
  options: { tenantId: string; repIds: readonly string[] },
): Promise<void> {
  const repIds = [...new Set(options.repIds)].sort();
  if (repIds.length === 0) return;
  await db.query(
    `INSERT INTO routing_rep_loads (tenant_id, rep_id, open_leads)
     SELECT $1, rep_id,
            (SELECT count(*) FROM routing_leads l WHERE l.tenant_id = $1 AND l.owner_id = rep_id AND l.open)::int
       FROM unnest($2::text[]) AS rep_id
     ON CONFLICT (tenant_id, rep_id) DO UPDATE SET open_leads = EXCLUDED.open_leads`,
    [options.tenantId, repIds],
  );
}

/** Counts one assignment made outside routing's own choice (a manual one) on the rep's local `day`. */
export async function countAssignment(
  db: Db,
  options: { tenantId: string; repId: string; day: string },
): Promise<void> {
  const { tenantId, repId, day } = options;
  const loads = await readRepLoads(db, tenantId);
  const current = loadOn(loads[repId], day);
  await saveRepLoad(db, { tenantId, repId, load: { ...current, assignedToday: current.assignedToday + 1 } });
}
