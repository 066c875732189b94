import type pg from 'pg';
import type { Db } from '../db.ts';

/** A first-response timer: set for one assignment of a lead, due at its deadline. */
export type SlaTimer = {
  leadId: string;
  tenantId: string;
  ownerId: string;
  poolId: string;
  /** The assignment's `assignedAt`, exactly as the LeadAssigned carried it. */
  assignedAt: string;
  dueAt: Date;
};

type TimerRow = {
  lead_id: string;
  tenant_id: string;
  owner_id: string;
  pool_id: string;
  assigned_at: Date;
  due_at: Date;
};

/** Sets the timer of an assignment; setting it again changes nothing. */
export async function insertSlaTimer(db: Db, timer: SlaTimer): Promise<void> {
  await db.query(
    `INSERT INTO routing_timers (lead_id, assigned_at, owner_id, tenant_id, pool_id, due_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (lead_id, assigned_at) DO NOTHING`,
    [timer.leadId, timer.assignedAt, timer.ownerId, timer.tenantId, timer.poolId, timer.dueAt],
  );
}

/** Stops the lead's pending timers, but the one of the assignment `keepAssignedAt` when given. */
export async function cancelSlaTimers(
  db: Db,
  options: { leadId: string; now: Date; keepAssignedAt?: string },
): Promise<void> {
  await db.query(
    `UPDATE routing_timers SET cancelled_at = $2
      WHERE lead_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL
        AND ($3::timestamptz IS NULL OR assigned_at <> $3::timestamptz)`,
    [options.leadId, options.now, options.keepAssignedAt ?? null],
  );
}

/**
 * Claims one due timer for the caller's transaction. SKIP LOCKED lets each replica take a different
 * timer; the claim lasts until that transaction ends, so a crashed poller's timer is claimable again.
 */
export async function claimDueSlaTimer(client: pg.PoolClient, now: Date): Promise<SlaTimer | undefined> {
  const result = await client.query<TimerRow>(
    `SELECT lead_id::text AS lead_id, tenant_id, owner_id, pool_id, assigned_at, due_at FROM routing_timers
      WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= $1
      ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
    [now],
  );
  const row = result.rows[0];
  if (row === undefined) return undefined;
  return {
    leadId: row.lead_id,
    tenantId: row.tenant_id,
    ownerId: row.owner_id,
    poolId: row.pool_id,
    assignedAt: row.assigned_at.toISOString(),
    dueAt: row.due_at,
  };
}

export async function markSlaTimerFired(
  client: pg.PoolClient,
  options: { leadId: string; assignedAt: string; now: Date },
): Promise<void> {
  await client.query('UPDATE routing_timers SET fired_at = $3 WHERE lead_id = $1 AND assigned_at = $2', [
    options.leadId,
    options.assignedAt,
    options.now,
  ]);
}
