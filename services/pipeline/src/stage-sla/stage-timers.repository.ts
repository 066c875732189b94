import type pg from 'pg';
import type { Db } from '../db.ts';

/** A stage SLA timer: set for one stage entry of an opportunity, due when the stage's SLA has passed. */
export type StageTimer = {
  opportunityId: string;
  tenantId: string;
  stageId: string;
  /** The stage entry's time, exactly as the event that entered the stage carried it. */
  enteredAt: string;
  slaDays: number;
  dueAt: Date;
};

/** How a fired timer ended: the opportunity was marked stalled, had moved on, or the command was refused. */
export type TimerOutcome = 'stalled' | 'moot' | 'refused';

type TimerRow = {
  opportunity_id: string;
  tenant_id: string;
  stage_id: string;
  entered_at: Date;
  sla_days: number;
  due_at: Date;
};

const dayMs = 24 * 60 * 60 * 1000;

/** When a stage entry at `enteredAt` outstays an SLA of `slaDays`. */
export function stageDueAt(enteredAt: string, slaDays: number): Date {
  return new Date(Date.parse(enteredAt) + slaDays * dayMs);
}

/** Sets the timer of a stage entry; setting it again changes nothing. */
export async function insertStageTimer(db: Db, timer: StageTimer): Promise<void> {
  await db.query(
    `INSERT INTO pipeline_stage_timers (opportunity_id, stage_id, entered_at, tenant_id, sla_days, due_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (opportunity_id, stage_id, entered_at) DO NOTHING`,
    [timer.opportunityId, timer.stageId, timer.enteredAt, timer.tenantId, timer.slaDays, timer.dueAt],
  );
}

/** Ends the opportunity's pending timers: it left their stage entry or closed. */
export async function cancelStageTimers(db: Db, options: { opportunityId: string; at: string }): Promise<void> {
  await db.query(
    `UPDATE pipeline_stage_timers SET cancelled_at = $2
      WHERE opportunity_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL`,
    [options.opportunityId, options.at],
  );
}

/**
 * Claims one due timer for the caller's transaction. SKIP LOCKED lets each replica take a different
 * timer; the claim lasts until that transaction ends, so a crashed poller's timer is claimable again.
 */
export async function claimDueStageTimer(client: pg.PoolClient, now: Date): Promise<StageTimer | undefined> {
  const result = await client.query<TimerRow>(
    `SELECT opportunity_id::text AS opportunity_id, tenant_id, stage_id, entered_at, sla_days, due_at
       FROM pipeline_stage_timers
      WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= $1
      ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
    [now],
  );
  const row = result.rows[0];
  if (row === undefined) return undefined;
  return {
    opportunityId: row.opportunity_id,
    tenantId: row.tenant_id,
    stageId: row.stage_id,
    enteredAt: row.entered_at.toISOString(),
    slaDays: row.sla_days,
    dueAt: row.due_at,
  };
}

/** Records that a stage entry's timer fired; a timer that already fired keeps its first outcome. */
export async function markStageTimerFired(
  db: Db,
  options: { opportunityId: string; stageId: string; enteredAt: string; at: Date | string; outcome: TimerOutcome },
): Promise<void> {
  await db.query(
    `UPDATE pipeline_stage_timers SET fired_at = $4, outcome = $5
      WHERE opportunity_id = $1 AND stage_id = $2 AND entered_at = $3 AND fired_at IS NULL`,
    [options.opportunityId, options.stageId, options.enteredAt, options.at, options.outcome],
  );
}
