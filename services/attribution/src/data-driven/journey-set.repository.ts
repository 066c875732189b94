import type { Db } from '../db.ts';
import type { JourneySetInput } from './journey-set.ts';

/** Everything the tenant's journey set is built from (see `journeySet`). */
export async function loadJourneySetInput(db: Db, tenantId: string): Promise<JourneySetInput> {
  // One after another: `db` may be a client (the consumer's transaction), which runs one query at a time.
  const leads = await db.query<{ lead_id: string; merged_into: string | null }>(
    'SELECT lead_id::text AS lead_id, merged_into::text AS merged_into FROM attribution_leads WHERE tenant_id = $1',
    [tenantId],
  );
  const touches = await db.query<{ touch_id: string; lead_id: string; occurred_at: Date; channel: string }>(
    `SELECT touch_id, lead_id::text AS lead_id, occurred_at, channel FROM attribution_touchpoints
     WHERE tenant_id = $1`,
    [tenantId],
  );
  const wins = await db.query<{ lead_id: string; won_at: Date }>(
    `SELECT lead_id::text AS lead_id, won_at FROM attribution_journeys
     WHERE tenant_id = $1 AND outcome = 'won' AND lead_id IS NOT NULL AND won_at IS NOT NULL`,
    [tenantId],
  );
  return {
    leads: leads.rows.map((row) => ({
      leadId: row.lead_id,
      ...(row.merged_into === null ? {} : { mergedInto: row.merged_into }),
    })),
    touches: touches.rows.map((row) => ({
      touchId: row.touch_id,
      leadId: row.lead_id,
      occurredAt: row.occurred_at.toISOString(),
      channel: row.channel,
    })),
    wins: wins.rows.map((row) => ({ leadId: row.lead_id, wonAt: row.won_at.toISOString() })),
  };
}
