import type pg from 'pg';
import { PermanentError } from '@l2o/bus';

/**
 * Locks the lead's row (creating it on its first event) and returns the stream version last applied to it.
 * The lock orders two deliveries of one lead's events (a rebalance overlap): the second waits, then skips.
 * @throws PermanentError when the lead is known under another tenant.
 */
export async function lockLead(client: pg.PoolClient, options: { leadId: string; tenantId: string }): Promise<number> {
  await client.query(
    'INSERT INTO attribution_leads (lead_id, tenant_id) VALUES ($1, $2) ON CONFLICT (lead_id) DO NOTHING',
    [options.leadId, options.tenantId],
  );
  const result = await client.query<{ tenant_id: string; last_version: string }>(
    'SELECT tenant_id, last_version FROM attribution_leads WHERE lead_id = $1 FOR UPDATE',
    [options.leadId],
  );
  const row = result.rows[0];
  if (row === undefined || row.tenant_id !== options.tenantId) {
    throw new PermanentError(`lead ${options.leadId} belongs to another tenant than ${options.tenantId}`);
  }
  return Number(row.last_version);
}

export async function setLeadVersion(
  client: pg.PoolClient,
  options: { leadId: string; version: number },
): Promise<void> {
  await client.query('UPDATE attribution_leads SET last_version = $2 WHERE lead_id = $1', [
    options.leadId,
    options.version,
  ]);
}

export async function setLeadOpportunity(
  client: pg.PoolClient,
  options: { leadId: string; opportunityId: string },
): Promise<void> {
  await client.query('UPDATE attribution_leads SET opportunity_id = $2 WHERE lead_id = $1', [
    options.leadId,
    options.opportunityId,
  ]);
}

/** Records that `mergedLeadId` lives on as `survivorLeadId`; either side's LeadsMerged may come first. */
export async function setMergedInto(
  client: pg.PoolClient,
  options: { tenantId: string; mergedLeadId: string; survivorLeadId: string },
): Promise<void> {
  await client.query(
    `INSERT INTO attribution_leads (lead_id, tenant_id, merged_into) VALUES ($1, $2, $3)
     ON CONFLICT (lead_id) DO UPDATE SET merged_into = EXCLUDED.merged_into
     WHERE attribution_leads.tenant_id = EXCLUDED.tenant_id`,
    [options.mergedLeadId, options.tenantId, options.survivorLeadId],
  );
}
