import type { CampaignCostRecordedV1 } from '@l2o/contracts';
import { uuidV5 } from '@l2o/domain';

/** One day's cost of the campaign, as a client sends it. */
export type CampaignCost = Omit<CampaignCostRecordedV1, 'tenantId' | 'recordedAt'>;

/** A decided event with the id it must be stored under. */
export type CampaignCostEvent = {
  type: 'CampaignCostRecorded';
  schemaVersion: 1;
  data: CampaignCostRecordedV1;
  id: string;
};

export type RecordCampaignCosts = {
  type: 'RecordCampaignCosts';
  tenantId: string;
  campaign: string;
  /** At most one per date. */
  costs: CampaignCost[];
  /** ISO 8601. */
  recordedAt: string;
};

type DayCost = { amountCents: number; currency: string; channel: string; records: number };

/** The current cost of each day of one campaign, by date. */
export type CampaignCostsState = Record<string, DayCost>;

export function initialState(): CampaignCostsState {
  return {};
}

export function evolve(state: CampaignCostsState, event: CampaignCostEvent): CampaignCostsState {
  if (event.type !== 'CampaignCostRecorded') return state;
  const { date, amount, currency, channel } = event.data;
  const records = (state[date]?.records ?? 0) + 1;
  return { ...state, [date]: { amountCents: cents(amount), currency, channel, records } };
}

/**
 * A cost replaces the day's earlier one (it is the day's total); the same cost again is no event, so a
 * retried upload appends nothing. Event ids derive from the campaign, the day, how many costs that day had
 * and the cost itself: two concurrent uploads of the same cost cannot both append, and a day that goes
 * 100 → 120 → 100 still records the third one.
 */
export function decide(command: RecordCampaignCosts, state: CampaignCostsState): CampaignCostEvent[] {
  const { tenantId, campaign, recordedAt } = command;
  return command.costs.flatMap((cost) => {
    const current = state[cost.date];
    const amountCents = cents(cost.amount);
    if (
      current !== undefined &&
      current.amountCents === amountCents &&
      current.currency === cost.currency &&
      current.channel === cost.channel
    ) {
      return [];
    }
    const record = (current?.records ?? 0) + 1;
    const id = uuidV5(
      [tenantId, campaign, cost.date, record, amountCents, cost.currency, cost.channel].join('\n'),
      campaignCostEventNamespace,
    );
    return [{ type: 'CampaignCostRecorded', schemaVersion: 1, id, data: { ...cost, campaign, tenantId, recordedAt } }];
  });
}

export const campaignCostsDecider = { decide, evolve, initialState };

/** Fixed for good: event ids and stream ids of costs are derived in them. */
const campaignCostEventNamespace = '3e9b6d1a-58c2-4f0e-b7a4-91d2c6e0f835';
const campaignCostStreamNamespace = '0d7c2e4b-9a61-4b3f-8e5d-6c1a2f9b7e40';

/** The aggregate id of a tenant's campaign's costs; the stream is `attribution-costs-<uuid>`. */
export function campaignCostsAggregateId(options: { tenantId: string; campaign: string }): string {
  return `costs-${uuidV5(`${options.tenantId}\n${options.campaign}`, campaignCostStreamNamespace)}`;
}

function cents(amount: number): number {
  return Math.round(amount * 100);
}
