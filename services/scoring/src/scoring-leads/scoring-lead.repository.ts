import type pg from 'pg';
import type { LeadGrade, LeadScoringTrigger, LeadTouchpoint } from '@l2o/contracts';
import type { ScoringActivity, ScoringProfile } from '../model/index.ts';
import type { ScoringLead } from './scoring-lead.ts';

/** A pool or a client inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

/** The score last sent to the lead, so a rescore that changes nothing sends nothing. */
export type LastScore = { score: number; grade: LeadGrade; ruleSetVersion: number };

/** A stored lead with its last score and rescore schedule. */
export type ScoringLeadRecord = ScoringLead & {
  last?: LastScore;
  nextRescoreAt?: Date;
  rescoreTrigger: LeadScoringTrigger;
  scheduleSeq: number;
};

type LeadRow = {
  lead_id: string;
  tenant_id: string;
  profile: ScoringProfile;
  first_touch: LeadTouchpoint | null;
  activities: ScoringActivity[];
  captured_at: Date | null;
  last_version: number;
  merged_into: string | null;
  last_score: number | null;
  last_grade: LeadGrade | null;
  last_rule_set_version: number | null;
  next_rescore_at: Date | null;
  rescore_trigger: LeadScoringTrigger;
  schedule_seq: number;
};

const columns = `lead_id::text AS lead_id, tenant_id, profile, first_touch, activities, captured_at, last_version,
  merged_into::text AS merged_into, last_score, last_grade, last_rule_set_version, next_rescore_at, rescore_trigger,
  schedule_seq`;

function fromRow(row: LeadRow): ScoringLeadRecord {
  return {
    leadId: row.lead_id,
    tenantId: row.tenant_id,
    input: {
      profile: row.profile,
      ...(row.first_touch === null ? {} : { firstTouch: row.first_touch }),
      activities: row.activities,
    },
    ...(row.captured_at === null ? {} : { capturedAt: row.captured_at.toISOString() }),
    lastVersion: row.last_version,
    ...(row.merged_into === null ? {} : { mergedInto: row.merged_into }),
    ...(row.last_score === null || row.last_grade === null || row.last_rule_set_version === null
      ? {}
      : { last: { score: row.last_score, grade: row.last_grade, ruleSetVersion: row.last_rule_set_version } }),
    ...(row.next_rescore_at === null ? {} : { nextRescoreAt: row.next_rescore_at }),
    rescoreTrigger: row.rescore_trigger,
    scheduleSeq: row.schedule_seq,
  };
}

/** The lead, locked until the transaction of `client` ends; `undefined` when scoring has not seen it. */
export async function lockScoringLead(client: pg.PoolClient, leadId: string): Promise<ScoringLeadRecord | undefined> {
  const result = await client.query<LeadRow>(`SELECT ${columns} FROM scoring_leads WHERE lead_id = $1 FOR UPDATE`, [
    leadId,
  ]);
  const row = result.rows[0];
  return row === undefined ? undefined : fromRow(row);
}

/** The tenant's lead, or `undefined` when scoring has not seen it (or it is another tenant's). */
export async function findScoringLead(
  db: Queryable,
  options: { tenantId: string; leadId: string },
): Promise<ScoringLeadRecord | undefined> {
  const result = await db.query<LeadRow>(`SELECT ${columns} FROM scoring_leads WHERE tenant_id = $1 AND lead_id = $2`, [
    options.tenantId,
    options.leadId,
  ]);
  const row = result.rows[0];
  return row === undefined ? undefined : fromRow(row);
}

/** Inserts a lead scoring has not seen, or updates the state of one it has. */
export async function saveScoringLead(db: Queryable, lead: ScoringLead): Promise<void> {
  await db.query(
    `INSERT INTO scoring_leads (lead_id, tenant_id, profile, first_touch, activities, captured_at, last_version, merged_into)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (lead_id) DO UPDATE SET
       profile = EXCLUDED.profile, first_touch = EXCLUDED.first_touch, activities = EXCLUDED.activities,
       captured_at = EXCLUDED.captured_at, last_version = EXCLUDED.last_version, merged_into = EXCLUDED.merged_into,
       next_rescore_at = CASE WHEN EXCLUDED.merged_into IS NULL THEN scoring_leads.next_rescore_at END`,
    [
      lead.leadId,
      lead.tenantId,
      JSON.stringify(lead.input.profile),
      lead.input.firstTouch === undefined ? null : JSON.stringify(lead.input.firstTouch),
      JSON.stringify(lead.input.activities),
      lead.capturedAt ?? null,
      lead.lastVersion,
      lead.mergedInto ?? null,
    ],
  );
}

/** The activities of a tenant's lead; none when scoring has not seen it. */
export async function activitiesOf(
  db: Queryable,
  options: { tenantId: string; leadId: string },
): Promise<ScoringActivity[]> {
  const result = await db.query<{ activities: ScoringActivity[] }>(
    'SELECT activities FROM scoring_leads WHERE tenant_id = $1 AND lead_id = $2',
    [options.tenantId, options.leadId],
  );
  return result.rows[0]?.activities ?? [];
}

/** Marks a lead merged into `survivorLeadId`, which ends its scoring. */
export async function markMerged(
  db: Queryable,
  options: { tenantId: string; leadId: string; survivorLeadId: string },
): Promise<void> {
  await db.query(
    `UPDATE scoring_leads SET merged_into = $3, next_rescore_at = NULL, schedule_seq = schedule_seq + 1
     WHERE tenant_id = $1 AND lead_id = $2`,
    [options.tenantId, options.leadId, options.survivorLeadId],
  );
}

/**
 * Records the score sent to a lead and when to score it again (`null`: only when something changes).
 * With `scheduleSeq`, the schedule moves only if nobody changed it since that was read, so a rescore
 * never cancels a rule change queued meanwhile.
 */
export async function recordScore(
  db: Queryable,
  options: { leadId: string; last: LastScore; scoredAt: Date; nextRescoreAt: Date | null; scheduleSeq?: number },
): Promise<void> {
  const { leadId, last, scoredAt, nextRescoreAt } = options;
  await db.query(
    `UPDATE scoring_leads SET
       last_score = $2, last_grade = $3, last_rule_set_version = $4, last_scored_at = $5,
       next_rescore_at = CASE WHEN $7::bigint IS NULL OR schedule_seq = $7 THEN $6 ELSE next_rescore_at END,
       rescore_trigger = CASE WHEN $7::bigint IS NULL OR schedule_seq = $7 THEN 'decay' ELSE rescore_trigger END,
       schedule_seq = CASE WHEN $7::bigint IS NULL OR schedule_seq = $7 THEN schedule_seq + 1 ELSE schedule_seq END
     WHERE lead_id = $1`,
    [leadId, last.score, last.grade, last.ruleSetVersion, scoredAt, nextRescoreAt, options.scheduleSeq ?? null],
  );
}

/**
 * Queues every active lead of a tenant for a rescore at `at` with `trigger`; returns how many.
 * The scheduler picks them up in batches.
 */
export async function queueTenantRescore(
  db: Queryable,
  options: { tenantId: string; at: Date; trigger: LeadScoringTrigger },
): Promise<number> {
  const result = await db.query(
    `UPDATE scoring_leads SET next_rescore_at = $2, rescore_trigger = $3, schedule_seq = schedule_seq + 1
     WHERE tenant_id = $1 AND merged_into IS NULL`,
    [options.tenantId, options.at, options.trigger],
  );
  return result.rowCount ?? 0;
}
