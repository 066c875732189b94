import type pg from 'pg';
import type { Db } from '../db.ts';

/** A first-response timer: set for one assignment of a lead, due at its deadline. */
export type SlaTimer = {
  leadId: string;
  tenantId: string;
  ownerId: string;
  poolId: string;
  /** The assignment's `assignedAt`, exactly as the LeadAssigned carries it. */
  assignedAt: string;
  dueAt: Date;
};

/** Stops a lead's pending timers at `at`, but the one of the assignment `keepAssignedAt` when given. */
export type SlaTimerCancel = { leadId: string; at: Date; keepAssignedAt?: string };

type TimerRow = {
  lead_id: string;
  tenant_id: string;
  owner_id: string;
  pool_id: string;
  assigned_at: Date;
  due_at: Date;
};

/**
 * Sets the timers of assignments. Setting one again keeps whether it fired or was cancelled; its owner,
 * pool and due time are the last ones set, so a LeadAssigned corrects the timer of a reservation made in
 * the same millisecond for another rep.
 */
export async function insertSlaTimers(db: Db, timers: readonly SlaTimer[]): Promise<void> {
  if (timers.length === 0) return;
  await db.query(
    `INSERT INTO routing_timers (lead_id, assigned_at, owner_id, tenant_id, pool_id, due_at)
     SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
     ON CONFLICT (lead_id, assigned_at) DO UPDATE
       SET owner_id = EXCLUDED.owner_id, pool_id = EXCLUDED.pool_id, due_at = EXCLUDED.due_at`,
    [
      timers.map((timer) => timer.leadId),
      timers.map((timer) => timer.assignedAt),
      timers.map((timer) => timer.ownerId),
      timers.map((timer) => timer.tenantId),
      timers.map((timer) => timer.poolId),
      timers.map((timer) => timer.dueAt),
    ],
  );
}

/** Applies one cancel per lead (the caller keeps the last of each lead's). */
export async function cancelSlaTimers(db: Db, cancels: readonly SlaTimerCancel[]): Promise<void> {
  if (cancels.length === 0) return;
  await db.query(
    `UPDATE routing_timers AS t SET cancelled_at = c.at
       FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS c(lead_id, at, keep_assigned_at)
      WHERE t.lead_id = c.lead_id AND t.fired_at IS NULL AND t.cancelled_at IS NULL
        AND (c.keep_assigned_at IS NULL OR t.assigned_at <> c.keep_assigned_at)`,
    [
      cancels.map((cancel) => cancel.leadId),
      cancels.map((cancel) => cancel.at),
      cancels.map((cancel) => cancel.keepAssignedAt ?? null),
    ],
  );
}

/**
 * Claims up to `limit` due timers for the caller's transaction. SKIP LOCKED lets each replica take
 * different timers; the claim lasts until that transaction ends, so a crashed poller's timers are
 * claimable again.
 */
export async function claimDueSlaTimers(
  client: pg.PoolClient,
  options: { now: Date; limit: number },
): Promise<SlaTimer[]> {
  const result = await client.query<TimerRow>(
    `SELECT lead_id::text AS lead_id, tenant_id, owner_id, pool_id, assigned_at, due_at FROM routing_timers
      WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= $1
      ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [options.now, options.limit],
  );
  return result.rows.map((row) => ({
    leadId: row.lead_id,
    tenantId: row.tenant_id,
    ownerId: row.owner_id,
    poolId: row.pool_id,
    assignedAt: row.assigned_at.toISOString(),
    dueAt: row.due_at,
  }));
}

export async function markSlaTimersFired(
  client: pg.PoolClient,
  options: { timers: readonly SlaTimer[]; now: Date },
): Promise<void> {
  if (options.timers.length === 0) return;
  await client.query(
    `UPDATE routing_timers AS t SET fired_at = $3
       FROM unnest($1::uuid[], $2::timestamptz[]) AS f(lead_id, assigned_at)
      WHERE t.lead_id = f.lead_id AND t.assigned_at = f.assigned_at`,
    [options.timers.map((timer) => timer.leadId), options.timers.map((timer) => timer.assignedAt), options.now],
  );
}
