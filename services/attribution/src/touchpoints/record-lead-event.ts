import type pg from 'pg';
import type { CatalogueEvent } from '@l2o/contracts';
import { withTransaction } from '@l2o/pg';
import { registerTenantForRecompute } from '../data-driven/recompute-schedule.repository.ts';
import { recordConversion } from '../journeys/journeys.repository.ts';
import { lockLead, setLeadOpportunity, setLeadVersion, setMergedInto } from './attribution-leads.repository.ts';
import { touchOfLeadEvent } from './lead-touch.ts';
import { insertTouch, markMilestone } from './touchpoints.repository.ts';

/** The lead events attribution reads: touches, the MQL milestone, the conversion and merges. */
export const leadEventNames = [
  'LeadCaptured',
  'LeadTouchRecorded',
  'LeadActivityRecorded',
  'LeadQualified',
  'LeadConverted',
  'LeadsMerged',
] as const;
export type AttributionLeadEvent = CatalogueEvent<(typeof leadEventNames)[number]>;

/**
 * Applies a lead event to the touchpoints, in one transaction with the lead's applied stream version:
 * an event at or below it is a redelivery and changes nothing. Versions may skip (attribution does not
 * receive the lead types it does not read), so only going backwards is detected.
 */
export async function recordLeadEvent(options: {
  pool: pg.Pool;
  event: AttributionLeadEvent;
  eventId: string;
  streamVersion: number;
}): Promise<'applied' | 'duplicate'> {
  const { event, eventId, streamVersion } = options;
  const { leadId, tenantId } = event.data;
  return withTransaction(options.pool, async (client) => {
    const applied = await lockLead(client, { leadId, tenantId });
    if (streamVersion <= applied) return 'duplicate';
    switch (event.type) {
      case 'LeadCaptured':
        await registerTenantForRecompute(client, tenantId);
        await storeTouch(client, event, { eventId, streamVersion });
        break;
      case 'LeadTouchRecorded':
      case 'LeadActivityRecorded':
        await storeTouch(client, event, { eventId, streamVersion });
        break;
      case 'LeadQualified':
        await markMilestone(client, { tenantId, leadId, milestone: 'mql', at: event.data.qualifiedAt });
        break;
      case 'LeadConverted': {
        const { opportunityId } = event.data;
        await setLeadOpportunity(client, { leadId, opportunityId });
        await recordConversion(client, { opportunityId, tenantId, leadId });
        break;
      }
      case 'LeadsMerged':
        await setMergedInto(client, {
          tenantId,
          mergedLeadId: event.data.mergedLeadId,
          survivorLeadId: event.data.survivorLeadId,
        });
        break;
    }
    await setLeadVersion(client, { leadId, version: streamVersion });
    return 'applied';
  });
}

async function storeTouch(
  client: pg.PoolClient,
  event: Parameters<typeof touchOfLeadEvent>[0],
  source: { eventId: string; streamVersion: number },
): Promise<void> {
  const touch = touchOfLeadEvent(event, source);
  if (touch !== undefined) await insertTouch(client, touch);
}
