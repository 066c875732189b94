import type { Db } from '../db.ts';
import type { Milestone } from '../models/index.ts';
import type { StoredTouch } from './lead-touch.ts';

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

/** Stores touches once each, in one statement; the same lead event again inserts nothing. */
export async function insertTouches(db: Db, touches: readonly StoredTouch[]): Promise<void> {
  if (touches.length === 0) return;
  await db.query(
    `INSERT INTO attribution_touchpoints
       (touch_id, tenant_id, lead_id, occurred_at, channel, campaign, medium, milestones, source_version)
     SELECT touch_id, tenant_id, lead_id, occurred_at, channel, campaign, medium,
            ARRAY(SELECT jsonb_array_elements_text(milestones)), source_version
     FROM jsonb_to_recordset($1::jsonb) AS r(touch_id text, tenant_id text, lead_id uuid, occurred_at timestamptz,
       channel text, campaign text, medium text, milestones jsonb, source_version bigint)
     ON CONFLICT (touch_id) DO NOTHING`,
    [
      JSON.stringify(
        touches.map((touch) => ({
          touch_id: touch.touchId,
          tenant_id: touch.tenantId,
          lead_id: touch.leadId,
          occurred_at: touch.occurredAt,
          channel: touch.channel,
          campaign: touch.campaign ?? null,
          medium: touch.medium ?? null,
          milestones: touch.milestones,
          source_version: touch.sourceVersion,
        })),
      ),
    ],
  );
}

/** Every touch of the leads, in one query. */
export async function loadTouches(db: Db, leadIds: readonly string[]): Promise<StoredTouch[]> {
  const result = await db.query<TouchRecord & { tenant_id: string; source_version: string }>(
    `SELECT touch_id, tenant_id, lead_id::text AS lead_id, occurred_at, channel, campaign, medium, milestones,
            source_version
     FROM attribution_touchpoints WHERE lead_id = ANY($1::uuid[])`,
    [leadIds],
  );
  return result.rows.map((row) => ({
    ...fromRecord(row),
    tenantId: row.tenant_id,
    sourceVersion: Number(row.source_version),
  }));
}

/**
 * Adds and takes off milestones of stored touches, in one statement. Each change is applied to the row as
 * it is when updated, so milestones another transaction gave the touch meanwhile stay.
 */
export async function saveMilestoneChanges(
  db: Db,
  changes: ReadonlyArray<{ touchId: string; added: readonly string[]; removed: readonly string[] }>,
): Promise<void> {
  if (changes.length === 0) return;
  await db.query(
    `UPDATE attribution_touchpoints t SET milestones =
       ARRAY(SELECT m FROM unnest(t.milestones) WITH ORDINALITY AS kept(m, n)
             WHERE NOT m = ANY (ARRAY(SELECT jsonb_array_elements_text(c.removed))) ORDER BY n)
       || ARRAY(SELECT m FROM jsonb_array_elements_text(c.added) WITH ORDINALITY AS added(m, n)
                WHERE NOT m = ANY (t.milestones) ORDER BY n)
     FROM jsonb_to_recordset($1::jsonb) AS c(touch_id text, added jsonb, removed jsonb)
     WHERE t.touch_id = c.touch_id`,
    [
      JSON.stringify(
        changes.map((change) => ({ touch_id: change.touchId, added: change.added, removed: change.removed })),
      ),
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
  return result.rows.map(fromRecord);
}

function fromRecord(row: TouchRecord): TouchRow {
  return {
    touchId: row.touch_id,
    leadId: row.lead_id,
    occurredAt: row.occurred_at.toISOString(),
    channel: row.channel,
    ...(row.campaign === null ? {} : { campaign: row.campaign }),
    ...(row.medium === null ? {} : { medium: row.medium }),
    milestones: row.milestones,
  };
}
