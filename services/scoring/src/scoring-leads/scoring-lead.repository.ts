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
  merged_into: string | null;
  last_score: number | null;
  last_grade: LeadGrade | null;
  last_rule_set_version: number | null;
  next_rescore_at: Date | null;
  rescore_trigger: LeadScoringTrigger;
  schedule_seq: number;
};

const columns = `lead_id::text AS lead_id, tenant_id, profile, first_touch, activities, captured_at,
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
    ...(row.merged_into === null ? {} : { mergedInto: row.merged_into }),
    ...(row.last_score === null || row.last_grade === null || row.last_rule_set_version === null
      ? {}
      : { last: { score: row.last_score, grade: row.last_grade, ruleSetVersion: row.last_rule_set_version } }),
    ...(row.next_rescore_at === null ? {} : { nextRescoreAt: row.next_rescore_at }),
    rescoreTrigger: row.rescore_trigger,
    scheduleSeq: row.schedule_seq,
  };
}

/**
 * The leads of `leadIds` scoring has seen, by id, locked until the transaction of `client` ends. Locked
 * in id order, so batches that share leads (a merge reaches across partitions) wait rather than deadlock.
 */
export async function lockScoringLeads(
  client: pg.PoolClient,
  leadIds: readonly string[],
): Promise<Map<string, ScoringLeadRecord>> {
  const result = await client.query<LeadRow>(
    `SELECT ${columns} FROM scoring_leads WHERE lead_id = ANY($1::uuid[]) ORDER BY lead_id FOR UPDATE`,
    [[...new Set(leadIds)]],
  );
  return new Map(result.rows.map((row) => [row.lead_id, fromRow(row)]));
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

/** A score sent to a lead now, saved with the lead (see {@link saveScoringLeads}). */
export type SavedScore = { last: LastScore; scoredAt: Date; nextRescoreAt: Date | null };

/**
 * Inserts the leads scoring has not seen and updates the others, each with the score sent to it now
 * when there is one, in one statement. A score moves the lead's rescore schedule (so a rescore claimed
 * before leaves the lead alone); a lead saved as merged ends its rescores, and its schedule moves too.
 */
export async function saveScoringLeads(
  db: Queryable,
  leads: ReadonlyArray<ScoringLead & { score?: SavedScore }>,
): Promise<void> {
  if (leads.length === 0) return;
  const rows = leads.map((lead) => ({
    lead_id: lead.leadId,
    tenant_id: lead.tenantId,
    profile: lead.input.profile,
    first_touch: lead.input.firstTouch ?? null,
    activities: lead.input.activities,
    captured_at: lead.capturedAt ?? null,
    merged_into: lead.mergedInto ?? null,
    score: lead.score?.last.score ?? null,
    grade: lead.score?.last.grade ?? null,
    rule_set_version: lead.score?.last.ruleSetVersion ?? null,
    scored_at: lead.score?.scoredAt ?? null,
    next_rescore_at: lead.score?.nextRescoreAt ?? null,
  }));
  // EXCLUDED.last_scored_at says whether the lead was scored now.
  await db.query(
    `INSERT INTO scoring_leads (lead_id, tenant_id, profile, first_touch, activities, captured_at, merged_into,
       last_score, last_grade, last_rule_set_version, last_scored_at, next_rescore_at)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS saved(lead_id uuid, tenant_id text, profile jsonb,
       first_touch jsonb, activities jsonb, captured_at timestamptz, merged_into uuid,
       score int, grade text, rule_set_version int, scored_at timestamptz, next_rescore_at timestamptz)
     ON CONFLICT (lead_id) DO UPDATE SET
       profile = EXCLUDED.profile, first_touch = EXCLUDED.first_touch, activities = EXCLUDED.activities,
       captured_at = EXCLUDED.captured_at, merged_into = EXCLUDED.merged_into,
       last_score = COALESCE(EXCLUDED.last_score, scoring_leads.last_score),
       last_grade = COALESCE(EXCLUDED.last_grade, scoring_leads.last_grade),
       last_rule_set_version = COALESCE(EXCLUDED.last_rule_set_version, scoring_leads.last_rule_set_version),
       last_scored_at = COALESCE(EXCLUDED.last_scored_at, scoring_leads.last_scored_at),
       next_rescore_at = CASE
         WHEN EXCLUDED.merged_into IS NOT NULL THEN NULL
         WHEN EXCLUDED.last_scored_at IS NOT NULL THEN EXCLUDED.next_rescore_at
         ELSE scoring_leads.next_rescore_at END,
       rescore_trigger = CASE WHEN EXCLUDED.last_scored_at IS NOT NULL THEN 'decay' ELSE scoring_leads.rescore_trigger END,
       schedule_seq = scoring_leads.schedule_seq + CASE
         WHEN EXCLUDED.last_scored_at IS NOT NULL THEN 1
         WHEN scoring_leads.merged_into IS NULL AND EXCLUDED.merged_into IS NOT NULL THEN 1
         ELSE 0 END`,
    [JSON.stringify(rows)],
  );
}

/** Marks leads merged into their survivors, which ends their scoring. */
export async function markMerged(
  db: Queryable,
  merges: ReadonlyArray<{ tenantId: string; leadId: string; survivorLeadId: string }>,
): Promise<void> {
  if (merges.length === 0) return;
  await db.query(
    `UPDATE scoring_leads l SET merged_into = m.survivor_lead_id, next_rescore_at = NULL, schedule_seq = l.schedule_seq + 1
     FROM unnest($1::text[], $2::uuid[], $3::uuid[]) AS m(tenant_id, lead_id, survivor_lead_id)
     WHERE l.tenant_id = m.tenant_id AND l.lead_id = m.lead_id`,
    [
      merges.map((merge) => merge.tenantId),
      merges.map((merge) => merge.leadId),
      merges.map((merge) => merge.survivorLeadId),
    ],
  );
}

/** A score sent to a lead, and when to score it again (`null`: only when something changes). */
export type RecordedScore = {
  leadId: string;
  last: LastScore;
  scoredAt: Date;
  nextRescoreAt: Date | null;
  /** When given, the schedule moves only if nobody changed it since it was read at this value. */
  scheduleSeq?: number;
};

/**
 * Records the scores a rescore sent to leads and their next rescores, in one statement. A score with
 * `scheduleSeq` moves its lead's schedule only if nobody changed it since, so a rescore never cancels
 * a rule change queued meanwhile.
 */
export async function recordScores(db: Queryable, scores: readonly RecordedScore[]): Promise<void> {
  if (scores.length === 0) return;
  const rows = scores.map((score) => ({
    lead_id: score.leadId,
    score: score.last.score,
    grade: score.last.grade,
    rule_set_version: score.last.ruleSetVersion,
    scored_at: score.scoredAt,
    next_rescore_at: score.nextRescoreAt,
    schedule_seq: score.scheduleSeq ?? null,
  }));
  await db.query(
    `UPDATE scoring_leads l SET
       last_score = s.score, last_grade = s.grade, last_rule_set_version = s.rule_set_version, last_scored_at = s.scored_at,
       next_rescore_at = CASE WHEN s.schedule_seq IS NULL OR l.schedule_seq = s.schedule_seq THEN s.next_rescore_at ELSE l.next_rescore_at END,
       rescore_trigger = CASE WHEN s.schedule_seq IS NULL OR l.schedule_seq = s.schedule_seq THEN 'decay' ELSE l.rescore_trigger END,
       schedule_seq = CASE WHEN s.schedule_seq IS NULL OR l.schedule_seq = s.schedule_seq THEN l.schedule_seq + 1 ELSE l.schedule_seq END
     FROM jsonb_to_recordset($1::jsonb) AS s(lead_id uuid, score int, grade text, rule_set_version int,
       scored_at timestamptz, next_rescore_at timestamptz, schedule_seq bigint)
     WHERE l.lead_id = s.lead_id`,
    [JSON.stringify(rows)],
  );
}

/**
 * The leads of `leadIds` whose last recorded score is still the one given: a score sent later
 * (another batch, a rescore) supersedes an earlier one still waiting to be sent.
 */
export async function leadsStillScored(
  db: Queryable,
  scores: ReadonlyArray<{ leadId: string; last: LastScore }>,
): Promise<Set<string>> {
  if (scores.length === 0) return new Set();
  const result = await db.query<{ lead_id: string }>(
    `SELECT l.lead_id::text AS lead_id FROM scoring_leads l
     JOIN unnest($1::uuid[], $2::int[], $3::text[], $4::int[]) AS s(lead_id, score, grade, rule_set_version)
       ON l.lead_id = s.lead_id AND l.last_score = s.score AND l.last_grade = s.grade
      AND l.last_rule_set_version = s.rule_set_version`,
    [
      scores.map((score) => score.leadId),
      scores.map((score) => score.last.score),
      scores.map((score) => score.last.grade),
      scores.map((score) => score.last.ruleSetVersion),
    ],
  );
  return new Set(result.rows.map((row) => row.lead_id));
}

/**
 * Queues every active lead of a tenant for a rescore at `at` with `trigger`; returns how many.
 * The scheduler picks them up in batches.
 */
export async function queueTenantRescore(
  db: Queryable,
  options: { tenantId: string; at: Date; trigger: LeadScoringTrigger },
): Promise<number> {
  // Locked in id order first, as the consumers lock leads, so a rule change and a batch do not deadlock.
  const result = await db.query(
    `WITH queued AS (
       SELECT lead_id FROM scoring_leads WHERE tenant_id = $1 AND merged_into IS NULL ORDER BY lead_id FOR UPDATE
     )
     UPDATE scoring_leads l SET next_rescore_at = $2, rescore_trigger = $3, schedule_seq = l.schedule_seq + 1
     FROM queued WHERE l.lead_id = queued.lead_id`,
    [options.tenantId, options.at, options.trigger],
  );
  return result.rowCount ?? 0;
}
