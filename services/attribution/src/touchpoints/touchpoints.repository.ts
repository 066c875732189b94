import type { Db } from '../db.ts';
import type { Milestone } from '../models/index.ts';
import type { NewTouch } from './lead-touch.ts';

/** A stored touch. */
export type TouchRow = {
  touchId: string;
  leadId: string;
  occurredAt: string;
  channel: string;
  campaign?: string;
  medium?: string;
  milestones: string[];
};

// The lead ($1) and every lead merged into it, at any depth: a merge moves the merged lead's touches to the
// survivor's journey whatever order the two streams' events arrive in.
const withFamily = `WITH RECURSIVE family(lead_id) AS (
    SELECT $1::uuid
    UNION
    SELECT l.lead_id FROM attribution_leads l JOIN family f ON l.merged_into = f.lead_id
  )`;

/** Stores a touch once; the same lead event again inserts nothing. */
export async function insertTouch(db: Db, touch: NewTouch): Promise<void> {
  await db.query(
    `INSERT INTO attribution_touchpoints
       (touch_id, tenant_id, lead_id, occurred_at, channel, campaign, medium, milestones, source_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (touch_id) DO NOTHING`,
    [
      touch.touchId,
      touch.tenantId,
      touch.leadId,
      touch.occurredAt,
      touch.channel,
      touch.campaign ?? null,
      touch.medium ?? null,
      touch.milestones,
      touch.sourceVersion,
    ],
  );
}

/**
 * Tags the lead's latest touch at or before `at` with `milestone`, unless a touch of its journey already
 * carries it (the first MQL, opening or win counts). Nothing happens when no touch is that early.
 */
export async function markMilestone(
  db: Db,
  options: { tenantId: string; leadId: string; milestone: Milestone; at: string },
): Promise<void> {
  await db.query(
    `${withFamily},
     journey AS (
       SELECT t.touch_id, t.occurred_at, t.milestones
       FROM attribution_touchpoints t JOIN family f ON f.lead_id = t.lead_id
       WHERE t.tenant_id = $2
     ),
     target AS (
       SELECT touch_id FROM journey WHERE occurred_at <= $4
       ORDER BY occurred_at DESC, touch_id COLLATE "C" DESC LIMIT 1
     )
     UPDATE attribution_touchpoints SET milestones = array_append(milestones, $3::text)
     WHERE touch_id IN (SELECT touch_id FROM target)
       AND NOT EXISTS (SELECT 1 FROM journey WHERE $3::text = ANY (milestones))`,
    [options.leadId, options.tenantId, options.milestone, options.at],
  );
}

/** Takes `milestone` off every touch of the lead's journey (a reopened deal is no longer won). */
export async function removeMilestone(
  db: Db,
  options: { tenantId: string; leadId: string; milestone: Milestone },
): Promise<void> {
  await db.query(
    `${withFamily}
     UPDATE attribution_touchpoints t SET milestones = array_remove(t.milestones, $3::text)
     FROM family f
     WHERE t.lead_id = f.lead_id AND t.tenant_id = $2 AND $3::text = ANY (t.milestones)`,
    [options.leadId, options.tenantId, options.milestone],
  );
}

type TouchRecord = {
  touch_id: string;
  lead_id: string;
  occurred_at: Date;
  channel: string;
  campaign: string | null;
  medium: string | null;
  milestones: string[];
};

/** Every touch of the lead and of the leads merged into it. */
export async function journeyTouches(db: Db, options: { tenantId: string; leadId: string }): Promise<TouchRow[]> {
  const result = await db.query<TouchRecord>(
    `${withFamily}
     SELECT t.touch_id, t.lead_id::text AS lead_id, t.occurred_at, t.channel, t.campaign, t.medium, t.milestones
     FROM attribution_touchpoints t JOIN family f ON f.lead_id = t.lead_id
     WHERE t.tenant_id = $2
     ORDER BY t.occurred_at, t.touch_id COLLATE "C"`,
    [options.leadId, options.tenantId],
  );
  return result.rows.map((row) => ({
    touchId: row.touch_id,
    leadId: row.lead_id,
    occurredAt: row.occurred_at.toISOString(),
    channel: row.channel,
    ...(row.campaign === null ? {} : { campaign: row.campaign }),
    ...(row.medium === null ? {} : { medium: row.medium }),
    milestones: row.milestones,
  }));
}
