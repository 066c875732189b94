import type { LeadScoringTrigger } from '@l2o/contracts';
import type { Queryable } from '../scoring-leads/scoring-lead.repository.ts';

/** A lead claimed for a rescore: the schedule it was claimed under, and when it had been due. */
export type ClaimedLead = {
  leadId: string;
  tenantId: string;
  scheduleSeq: number;
  dueAt: Date;
  trigger: LeadScoringTrigger;
};

/**
 * Claims up to `limit` leads due at `now`, oldest due first, by moving their rescore to `leaseUntil`:
 * `SKIP LOCKED` lets replicas claim side by side without waiting for or taking each other's leads, and
 * the lease keeps a claimed lead from being claimed again until the claimer has finished it (or died).
 */
export async function claimDueLeads(
  db: Queryable,
  options: { now: Date; limit: number; leaseUntil: Date },
): Promise<ClaimedLead[]> {
  const result = await db.query<{
    lead_id: string;
    tenant_id: string;
    schedule_seq: number;
    due_at: Date;
    rescore_trigger: LeadScoringTrigger;
  }>(
    `WITH due AS (
       SELECT lead_id, next_rescore_at AS due_at FROM scoring_leads
       WHERE next_rescore_at <= $1 AND merged_into IS NULL
       ORDER BY next_rescore_at
       LIMIT $2
       FOR UPDATE SKIP LOCKED
     )
     UPDATE scoring_leads l SET next_rescore_at = $3, schedule_seq = l.schedule_seq + 1
     FROM due WHERE l.lead_id = due.lead_id
     RETURNING l.lead_id::text AS lead_id, l.tenant_id, l.schedule_seq, due.due_at, l.rescore_trigger`,
    [options.now, options.limit, options.leaseUntil],
  );
  return result.rows
    .map((row) => ({
      leadId: row.lead_id,
      tenantId: row.tenant_id,
      scheduleSeq: row.schedule_seq,
      dueAt: row.due_at,
      trigger: row.rescore_trigger,
    }))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}
