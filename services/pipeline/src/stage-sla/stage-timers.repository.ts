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

/** A timer as stored: pending, or with when it was cancelled or fired and how it ended. */
export type StoredStageTimer = StageTimer & { cancelledAt?: string; firedAt?: string; outcome?: TimerOutcome };

type StoredTimerRow = TimerRow & { cancelled_at: Date | null; fired_at: Date | null; outcome: TimerOutcome | null };

/** Every timer of the opportunities, pending or ended, in one query. */
export async function loadStageTimers(db: Db, opportunityIds: readonly string[]): Promise<StoredStageTimer[]> {
  const result = await db.query<StoredTimerRow>(
    `SELECT opportunity_id::text AS opportunity_id, tenant_id, stage_id, entered_at, sla_days, due_at,
            cancelled_at, fired_at, outcome
       FROM pipeline_stage_timers WHERE opportunity_id = ANY($1::uuid[])`,
    [opportunityIds],
  );
  return result.rows.map((row) => ({
    ...timerOf(row),
    ...(row.cancelled_at === null ? {} : { cancelledAt: row.cancelled_at.toISOString() }),
    ...(row.fired_at === null ? {} : { firedAt: row.fired_at.toISOString() }),
    ...(row.outcome === null ? {} : { outcome: row.outcome }),
  }));
}

const timerRecord = `r(opportunity_id uuid, stage_id text, entered_at timestamptz, tenant_id text, sla_days integer,
  due_at timestamptz, cancelled_at timestamptz, fired_at timestamptz, outcome text)`;

/** Sets the timers of new stage entries, as they stand at the end of the batch; a timer already set stays as it is. */
export async function insertStageTimers(db: Db, timers: readonly StoredStageTimer[]): Promise<void> {
  if (timers.length === 0) return;
  await db.query(
    `INSERT INTO pipeline_stage_timers
       (opportunity_id, stage_id, entered_at, tenant_id, sla_days, due_at, cancelled_at, fired_at, outcome)
     SELECT opportunity_id, stage_id, entered_at, tenant_id, sla_days, due_at, cancelled_at, fired_at, outcome
       FROM jsonb_to_recordset($1::jsonb) AS ${timerRecord}
     ON CONFLICT (opportunity_id, stage_id, entered_at) DO NOTHING`,
    [JSON.stringify(timers.map(timerRecordOf))],
  );
}

/**
 * Writes how the batch ended timers that were stored before it. Only a timer not fired since it was
 * loaded changes: one the poller fired meanwhile keeps the poller's outcome, as it would had the
 * poller come first (a cancel or a stall of a fired timer changes nothing).
 */
export async function updateStageTimers(db: Db, timers: readonly StoredStageTimer[]): Promise<void> {
  if (timers.length === 0) return;
  await db.query(
    `UPDATE pipeline_stage_timers t
        SET cancelled_at = COALESCE(t.cancelled_at, r.cancelled_at), fired_at = r.fired_at, outcome = r.outcome
       FROM jsonb_to_recordset($1::jsonb) AS ${timerRecord}
      WHERE t.opportunity_id = r.opportunity_id AND t.stage_id = r.stage_id AND t.entered_at = r.entered_at
        AND t.fired_at IS NULL`,
    [JSON.stringify(timers.map(timerRecordOf))],
  );
}

function timerRecordOf(timer: StoredStageTimer) {
  return {
    opportunity_id: timer.opportunityId,
    stage_id: timer.stageId,
    entered_at: timer.enteredAt,
    tenant_id: timer.tenantId,
    sla_days: timer.slaDays,
    due_at: timer.dueAt.toISOString(),
    cancelled_at: timer.cancelledAt ?? null,
    fired_at: timer.firedAt ?? null,
    outcome: timer.outcome ?? null,
  };
}

/**
 * Claims up to `limit` due timers for the caller's transaction and marks them fired at `now`, in one
 * statement. SKIP LOCKED lets each replica take different timers; a claim rolled back leaves its timers due.
 */
export async function claimDueStageTimers(
  client: pg.PoolClient,
  options: { now: Date; limit: number },
): Promise<StageTimer[]> {
  const result = await client.query<TimerRow>(
    `UPDATE pipeline_stage_timers t SET fired_at = $1
       FROM (SELECT opportunity_id, stage_id, entered_at FROM pipeline_stage_timers
              WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= $1
              ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
      WHERE t.opportunity_id = due.opportunity_id AND t.stage_id = due.stage_id AND t.entered_at = due.entered_at
      RETURNING t.opportunity_id::text AS opportunity_id, t.tenant_id, t.stage_id, t.entered_at, t.sla_days, t.due_at`,
    [options.now, options.limit],
  );
  return result.rows.map(timerOf);
}

/** Records how fired timers ended, in one statement; a timer whose outcome is recorded keeps the first. */
export async function recordStageTimerOutcomes(
  db: Db,
  outcomes: ReadonlyArray<{ opportunityId: string; stageId: string; enteredAt: string; outcome: TimerOutcome }>,
): Promise<void> {
  if (outcomes.length === 0) return;
  await db.query(
    `UPDATE pipeline_stage_timers t SET outcome = r.outcome
       FROM jsonb_to_recordset($1::jsonb) AS r(opportunity_id uuid, stage_id text, entered_at timestamptz, outcome text)
      WHERE t.opportunity_id = r.opportunity_id AND t.stage_id = r.stage_id AND t.entered_at = r.entered_at
        AND t.outcome IS NULL`,
    [
      JSON.stringify(
        outcomes.map((fired) => ({
          opportunity_id: fired.opportunityId,
          stage_id: fired.stageId,
          entered_at: fired.enteredAt,
          outcome: fired.outcome,
        })),
      ),
    ],
  );
}

function timerOf(row: TimerRow): StageTimer {
  return {
    opportunityId: row.opportunity_id,
    tenantId: row.tenant_id,
    stageId: row.stage_id,
    enteredAt: row.entered_at.toISOString(),
    slaDays: row.sla_days,
    dueAt: row.due_at,
  };
}
