import type { Db } from '../db.ts';

/** A lead as attribution keeps it. */
export type AttributionLead = { leadId: string; tenantId: string; mergedInto?: string; opportunityId?: string };

/** Creates the rows of leads not seen before, in one statement; a lead known already keeps its row. */
export async function insertLeads(db: Db, leads: ReadonlyArray<{ leadId: string; tenantId: string }>): Promise<void> {
  if (leads.length === 0) return;
  await db.query(
    `INSERT INTO attribution_leads (lead_id, tenant_id)
     SELECT * FROM unnest($1::uuid[], $2::text[]) ORDER BY 1
     ON CONFLICT (lead_id) DO NOTHING`,
    [leads.map((lead) => lead.leadId), leads.map((lead) => lead.tenantId)],
  );
}

/**
 * The leads and every lead merged into one of them, at any depth: the leads whose journeys the batch may
 * read. In one query.
 */
export async function loadLeadFamilies(db: Db, leadIds: readonly string[]): Promise<AttributionLead[]> {
  const result = await db.query<{
    lead_id: string;
    tenant_id: string;
    merged_into: string | null;
    opportunity_id: string | null;
  }>(
    `WITH RECURSIVE family(lead_id) AS (
       SELECT unnest($1::uuid[])
       UNION
       SELECT l.lead_id FROM attribution_leads l JOIN family f ON l.merged_into = f.lead_id
     )
     SELECT l.lead_id::text AS lead_id, l.tenant_id, l.merged_into::text AS merged_into,
            l.opportunity_id::text AS opportunity_id
     FROM attribution_leads l JOIN family f ON f.lead_id = l.lead_id`,
    [leadIds],
  );
  return result.rows.map((row) => ({
    leadId: row.lead_id,
    tenantId: row.tenant_id,
    ...(row.merged_into === null ? {} : { mergedInto: row.merged_into }),
    ...(row.opportunity_id === null ? {} : { opportunityId: row.opportunity_id }),
  }));
}

/**
 * Records that each merged lead lives on as its survivor; either side's LeadsMerged may come first. A lead
 * known under another tenant is left alone.
 */
export async function saveMerges(
  db: Db,
  merges: ReadonlyArray<{ leadId: string; tenantId: string; mergedInto: string }>,
): Promise<void> {
  if (merges.length === 0) return;
  await db.query(
    `INSERT INTO attribution_leads (lead_id, tenant_id, merged_into)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[]) ORDER BY 1
     ON CONFLICT (lead_id) DO UPDATE SET merged_into = EXCLUDED.merged_into
     WHERE attribution_leads.tenant_id = EXCLUDED.tenant_id`,
    [
      merges.map((merge) => merge.leadId),
      merges.map((merge) => merge.tenantId),
      merges.map((merge) => merge.mergedInto),
    ],
  );
}

/** Records the opportunity each lead converted into. */
export async function saveConversions(
  db: Db,
  conversions: ReadonlyArray<{ leadId: string; opportunityId: string }>,
): Promise<void> {
  if (conversions.length === 0) return;
  await db.query(
    `UPDATE attribution_leads l SET opportunity_id = c.opportunity_id
     FROM unnest($1::uuid[], $2::uuid[]) AS c(lead_id, opportunity_id)
     WHERE l.lead_id = c.lead_id`,
    [conversions.map((conversion) => conversion.leadId), conversions.map((conversion) => conversion.opportunityId)],
  );
}
