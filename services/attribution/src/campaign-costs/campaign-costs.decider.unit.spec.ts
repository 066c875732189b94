import { describe, expect, it } from 'vitest';
import type { CampaignCost, CampaignCostEvent, RecordCampaignCosts } from './campaign-costs.decider.ts';
import { campaignCostsAggregateId, decide, evolve, initialState } from './campaign-costs.decider.ts';

const cost: CampaignCost = { campaign: 'q2', channel: 'ad', date: '2025-04-02', amount: 100, currency: 'EUR' };

function record(costs: CampaignCost[]): RecordCampaignCosts {
  return {
    type: 'RecordCampaignCosts',
    tenantId: 'acme',
    campaign: 'q2',
    costs,
    recordedAt: '2025-04-03T00:00:00.000Z',
  };
}

function after(...commands: RecordCampaignCosts[]) {
  return commands.reduce((state, command) => decide(command, state).reduce(evolve, state), initialState());
}

describe('campaign costs', () => {
  it('records a first cost of a day', () => {
    const [event] = decide(record([cost]), initialState());
    expect(event?.data).toEqual({ ...cost, tenantId: 'acme', recordedAt: '2025-04-03T00:00:00.000Z' });
  });

  it('records nothing for the same cost again', () => {
    expect(decide(record([cost]), after(record([cost])))).toEqual([]);
  });

  it("records a changed cost, which replaces the day's", () => {
    const events = decide(record([{ ...cost, amount: 120 }]), after(record([cost])));
    expect(events.map((event) => event.data.amount)).toEqual([120]);
  });

  it('gives a day that returns to an earlier cost a new event id', () => {
    const first = decide(record([cost]), initialState());
    const state = after(record([cost]), record([{ ...cost, amount: 120 }]));
    const again = decide(record([cost]), state);
    expect(again).toHaveLength(1);
    expect(again[0]?.id).not.toBe(first[0]?.id);
  });

  it('gives the same cost decided twice the same event id', () => {
    const ids = (events: CampaignCostEvent[]) => events.map((event) => event.id);
    expect(ids(decide(record([cost]), initialState()))).toEqual(ids(decide(record([cost]), initialState())));
  });

  it('keeps tenants and campaigns in separate streams', () => {
    const ids = [
      campaignCostsAggregateId({ tenantId: 'acme', campaign: 'q2' }),
      campaignCostsAggregateId({ tenantId: 'acme', campaign: 'q3' }),
      campaignCostsAggregateId({ tenantId: 'other', campaign: 'q2' }),
    ];
    expect(new Set(ids).size).toBe(3);
    expect(ids[0]).toMatch(/^costs-[0-9a-f-]{36}$/);
  });
});
