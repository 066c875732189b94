import type { StreamEvent } from '@l2o/stream-consumer';
import type { ReadModel, ReadModelBatch } from '../read-model/read-model.ts';
import { rowKey } from '../read-model/row-store.ts';

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
  applyBatch: applyToAttribution,
};

type Calculated = Extract<StreamEvent, { type: 'AttributionCalculated' }>;
type CostRecorded = Extract<StreamEvent, { type: 'CampaignCostRecorded' }>;

/**
 * Of several events for one row in a batch, the last wins, as it would one event at a time: a deal's
 * model keeps its latest revision's credits, a campaign's day its latest cost; a reopening keeps the latest.
 */
async function applyToAttribution({ client, events }: ReadModelBatch): Promise<void> {
  const calculated = new Map<string, Calculated>();
  const costs = new Map<string, CostRecorded>();
  const reopenings: Array<{ tenant_id: string; opportunity_id: string; reopened_at: string }> = [];
  for (const event of events) {
    switch (event.type) {
      case 'AttributionCalculated': {
        // The stream holds a deal's revisions in order: the one arriving is the model's latest.
        const key = `${rowKey(event.tenantId, event.data.opportunityId)}\u0000${event.data.model}`;
        calculated.delete(key);
        calculated.set(key, event);
        break;
      }
      case 'CampaignCostRecorded': {
        // The day's total: a later event of the campaign's stream replaces it.
        const { campaign, date } = event.data;
        costs.set(JSON.stringify([event.tenantId, campaign, date]), event);
        break;
      }
      case 'OpportunityReopened':
        // Only an undone win matters to revenue; the next win brings a new revision with a later wonAt.
        if (event.data.previousOutcome === 'won') {
          reopenings.push({
            tenant_id: event.tenantId,
            opportunity_id: event.data.opportunityId,
            reopened_at: event.data.reopenedAt,
          });
        }
        break;
      default:
        break;
    }
  }
  if (calculated.size > 0) await replaceCredits(client, [...calculated.values()]);
  if (costs.size > 0) {
    const rows = [...costs.values()].map(({ tenantId, data }) => ({
      tenant_id: tenantId,
      campaign: data.campaign,
      day: data.date,
      channel: data.channel,
      amount: data.amount,
      currency: data.currency,
      recorded_at: data.recordedAt,
    }));
    await client.query(
      `INSERT INTO campaign_costs (tenant_id, campaign, day, channel, amount, currency, recorded_at)
       SELECT tenant_id, campaign, day, channel, amount, currency, recorded_at
       FROM json_populate_recordset(NULL::campaign_costs, $1::json)
       ON CONFLICT (tenant_id, campaign, day) DO UPDATE SET channel = EXCLUDED.channel, amount = EXCLUDED.amount,
         currency = EXCLUDED.currency, recorded_at = EXCLUDED.recorded_at`,
      [JSON.stringify(rows)],
    );
  }
  if (reopenings.length > 0) {
    await client.query(
      `INSERT INTO attribution_reopenings (tenant_id, opportunity_id, reopened_at)
       SELECT tenant_id, opportunity_id, max(reopened_at)
       FROM json_populate_recordset(NULL::attribution_reopenings, $1::json) GROUP BY 1, 2
       ON CONFLICT (tenant_id, opportunity_id) DO UPDATE
       SET reopened_at = GREATEST(attribution_reopenings.reopened_at, EXCLUDED.reopened_at)`,
      [JSON.stringify(reopenings)],
    );
  }
}

/** Replaces each deal model's credits by its latest revision's, per channel and per campaign. */
async function replaceCredits(client: ReadModelBatch['client'], events: readonly Calculated[]): Promise<void> {
  const models = events.map((event) => ({
    tenant_id: event.tenantId,
    opportunity_id: event.data.opportunityId,
    model: event.data.model,
    currency: event.data.currency,
    won_at: event.data.wonAt,
    revision: event.data.revision,
  }));
  for (const table of ['attribution_channel_credits', 'attribution_campaign_credits']) {
    await client.query(
      `DELETE FROM ${table} c USING json_populate_recordset(NULL::${table}, $1::json) r
       WHERE c.tenant_id = r.tenant_id AND c.opportunity_id = r.opportunity_id AND c.model = r.model`,
      [JSON.stringify(models)],
    );
  }
  const byChannel = events.flatMap((event, index) =>
    event.data.byChannel.map((credit) => ({ ...models[index], channel: credit.channel, amount: credit.amount })),
  );
  // A campaign of NULL totals the touches without one; position keeps the event's order and the key unique.
  const byCampaign = events.flatMap((event, index) =>
    event.data.byCampaign.map((credit, position) => ({
      ...models[index],
      position: position + 1,
      campaign: credit.campaign,
      amount: credit.amount,
    })),
  );
  await client.query(
    `INSERT INTO attribution_channel_credits (tenant_id, opportunity_id, model, currency, won_at, revision, channel, amount)
     SELECT tenant_id, opportunity_id, model, currency, won_at, revision, channel, amount
     FROM json_populate_recordset(NULL::attribution_channel_credits, $1::json)`,
    [JSON.stringify(byChannel)],
  );
  await client.query(
    `INSERT INTO attribution_campaign_credits (tenant_id, opportunity_id, model, currency, won_at, revision, position, campaign, amount)
     SELECT tenant_id, opportunity_id, model, currency, won_at, revision, position, campaign, amount
     FROM json_populate_recordset(NULL::attribution_campaign_credits, $1::json)`,
    [JSON.stringify(byCampaign)],
  );
}
