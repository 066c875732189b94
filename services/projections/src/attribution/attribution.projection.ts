import type pg from 'pg';
import type { ProjectedEvent, ReadModel } from '../read-model/read-model.ts';

const handled = new Set(['AttributionCalculated', 'CampaignCostRecorded', 'OpportunityReopened']);

/**
 * The `attribution` read model: won deals' credit per model by channel and by campaign, campaign
 * costs per day, and each deal's last reopening. Every table is written from one kind of stream and
 * keyed by it, so the rows do not depend on how the attribution and opportunity topics interleave.
 */
export const attributionReadModel: ReadModel = {
  name: 'attribution',
  tables: ['attribution_channel_credits', 'attribution_campaign_credits', 'attribution_reopenings', 'campaign_costs'],
  handles: (eventType) => handled.has(eventType),
  apply: applyToAttribution,
};

async function applyToAttribution(options: { client: pg.PoolClient; event: ProjectedEvent }): Promise<void> {
  const { client, event } = options;
  switch (event.type) {
    case 'AttributionCalculated': {
      const { opportunityId, model, byChannel, byCampaign, currency, wonAt, revision } = event.data;
      // The stream holds a deal's revisions in order: the one arriving is the model's latest.
      const keys = [event.tenantId, opportunityId, model];
      for (const table of ['attribution_channel_credits', 'attribution_campaign_credits']) {
        await client.query(`DELETE FROM ${table} WHERE tenant_id = $1 AND opportunity_id = $2 AND model = $3`, keys);
      }
      const common = [...keys, currency, wonAt, revision];
      await client.query(
        `INSERT INTO attribution_channel_credits (tenant_id, opportunity_id, model, currency, won_at, revision, channel, amount)
         SELECT $1, $2, $3, $4, $5, $6, channel, amount FROM unnest($7::text[], $8::numeric[]) AS credit(channel, amount)`,
        [...common, byChannel.map((credit) => credit.channel), byChannel.map((credit) => credit.amount)],
      );
      await client.query(
        `INSERT INTO attribution_campaign_credits (tenant_id, opportunity_id, model, currency, won_at, revision, position, campaign, amount)
         SELECT $1, $2, $3, $4, $5, $6, position, campaign, amount
         FROM unnest($7::text[], $8::numeric[]) WITH ORDINALITY AS credit(campaign, amount, position)`,
        [...common, byCampaign.map((credit) => credit.campaign), byCampaign.map((credit) => credit.amount)],
      );
      return;
    }
    case 'CampaignCostRecorded': {
      const { campaign, date, channel, amount, currency, recordedAt } = event.data;
      // The day's total: a later event of the campaign's stream replaces it.
      await client.query(
        `INSERT INTO campaign_costs (tenant_id, campaign, day, channel, amount, currency, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (tenant_id, campaign, day) DO UPDATE SET channel = EXCLUDED.channel, amount = EXCLUDED.amount,
           currency = EXCLUDED.currency, recorded_at = EXCLUDED.recorded_at`,
        [event.tenantId, campaign, date, channel, amount, currency, recordedAt],
      );
      return;
    }
    case 'OpportunityReopened':
      // Only an undone win matters to revenue; the next win brings a new revision with a later wonAt.
      if (event.data.previousOutcome !== 'won') return;
      await client.query(
        `INSERT INTO attribution_reopenings (tenant_id, opportunity_id, reopened_at) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, opportunity_id) DO UPDATE
         SET reopened_at = GREATEST(attribution_reopenings.reopened_at, EXCLUDED.reopened_at)`,
        [event.tenantId, event.data.opportunityId, event.data.reopenedAt],
      );
      return;
    default:
      return;
  }
}
