import type pg from 'pg';
import type { CatalogueEvent } from '@l2o/contracts';
import { withTransaction } from '@l2o/pg';
import { markMilestone, removeMilestone } from '../touchpoints/touchpoints.repository.ts';
import {
  findJourney,
  lockJourney,
  recordOpened,
  recordOutcome,
  recordWon,
  setJourneyVersion,
} from './journeys.repository.ts';

/** The opportunity events attribution reads: the opening, and how the deal ends or reopens. */
export const opportunityEventNames = [
  'OpportunityOpened',
  'OpportunityWon',
  'OpportunityLost',
  'OpportunityReopened',
] as const;
export type AttributionOpportunityEvent = CatalogueEvent<(typeof opportunityEventNames)[number]>;

/**
 * Applies an opportunity event to its journey, in one transaction with the opportunity's applied stream
 * version, so a redelivery changes nothing. Milestones land on the lead's touches already stored; the
 * attribution of a win marks them again once the lead's conversion is in (see `attributeWonDeal`).
 */
export async function recordOpportunityEvent(options: {
  pool: pg.Pool;
  event: AttributionOpportunityEvent;
  streamVersion: number;
}): Promise<'applied' | 'duplicate'> {
  const { event, streamVersion } = options;
  const { opportunityId, tenantId } = event.data;
  return withTransaction(options.pool, async (client) => {
    const applied = await lockJourney(client, { opportunityId, tenantId });
    if (streamVersion <= applied) return 'duplicate';
    switch (event.type) {
      case 'OpportunityOpened': {
        const { leadId, openedAt } = event.data;
        await recordOpened(client, { opportunityId, leadId, openedAt });
        await markMilestone(client, { tenantId, leadId, milestone: 'opportunity_created', at: openedAt });
        break;
      }
      case 'OpportunityWon': {
        const { wonAt, amount, currency } = event.data;
        await recordWon(client, { opportunityId, wonAt, amountCents: Math.round(amount * 100), currency });
        const leadId = (await findJourney(client, opportunityId))?.leadId;
        if (leadId !== undefined) await markMilestone(client, { tenantId, leadId, milestone: 'closed_won', at: wonAt });
        break;
      }
      case 'OpportunityLost':
        await recordOutcome(client, { opportunityId, outcome: 'lost' });
        break;
      case 'OpportunityReopened': {
        await recordOutcome(client, { opportunityId, outcome: 'open' });
        const leadId = (await findJourney(client, opportunityId))?.leadId;
        if (leadId !== undefined) await removeMilestone(client, { tenantId, leadId, milestone: 'closed_won' });
        break;
      }
    }
    await setJourneyVersion(client, { opportunityId, version: streamVersion });
    return 'applied';
  });
}
