import { streamIdFor } from '@l2o/contracts';
import { eventMetadata, handleCommand } from '@l2o/event-store';
import type { EventStore } from '@l2o/event-store';
import { campaignCostsAggregateId, campaignCostsDecider } from './campaign-costs.decider.ts';
import type { CampaignCost } from './campaign-costs.decider.ts';

/** Campaigns whose streams are written side by side; each holds a pool connection while it appends. */
const concurrency = 8;

/**
 * Records the tenant's costs, one append per campaign, and returns the `campaign\ndate` keys of the costs
 * that were new or changed; the others were already the day's cost. Costs must be unique per campaign and date.
 */
export async function recordCampaignCosts(options: {
  store: Pick<EventStore, 'readStream' | 'appendToStream'>;
  tenantId: string;
  costs: readonly CampaignCost[];
  now: Date;
  correlationId?: string;
  traceparent?: string;
}): Promise<Set<string>> {
  const { store, tenantId } = options;
  const byCampaign = new Map<string, CampaignCost[]>();
  for (const cost of options.costs) byCampaign.set(cost.campaign, [...(byCampaign.get(cost.campaign) ?? []), cost]);
  const recorded = new Set<string>();
  const campaigns = [...byCampaign];
  for (let start = 0; start < campaigns.length; start += concurrency) {
    await Promise.all(
      campaigns.slice(start, start + concurrency).map(async ([campaign, costs]) => {
        const result = await handleCommand({
          store,
          streamId: streamIdFor('attribution', campaignCostsAggregateId({ tenantId, campaign })),
          decider: campaignCostsDecider,
          command: { type: 'RecordCampaignCosts', tenantId, campaign, costs, recordedAt: options.now.toISOString() },
          metadata: eventMetadata({
            tenantId,
            producer: 'attribution',
            correlationId: options.correlationId,
            traceparent: options.traceparent,
          }),
          eventId: (event) => event.id,
        });
        for (const event of result.events) recorded.add(costKey(campaign, String(event.data.date)));
      }),
    );
  }
  return recorded;
}

/** The key of one campaign's day. */
export function costKey(campaign: string, date: string): string {
  return `${campaign}\n${date}`;
}
