import { describe, expect, it } from 'vitest';
import { attributionCalculatedV1Schema, attributionModelNames } from '@l2o/contracts';
import type { LearnedWeights } from '../data-driven/learned-weights.ts';
import { attributionModels, defaultAttributionConfig } from '../models/index.ts';
import type { DataDrivenModel, Touchpoint } from '../models/index.ts';
import { dealAttributions } from './deal-attributions.ts';

const deal = {
  opportunityId: '9a8b7c6d-5e4f-5a3b-8c2d-1e0f9a8b7c6d',
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 'acme',
  wonAt: '2025-02-01T00:00:00.000Z',
  amountCents: 100_000,
  currency: 'EUR',
};
const journey: Touchpoint[] = [
  {
    id: 't1',
    occurredAt: '2025-01-01T00:00:00.000Z',
    channel: 'web_form',
    campaign: 'spring',
    medium: 'cpc',
    milestones: ['first_touch', 'lead_created'],
  },
  { id: 't2', occurredAt: '2025-01-10T00:00:00.000Z', channel: 'ad', milestones: [] },
  { id: 't3', occurredAt: '2025-01-20T00:00:00.000Z', channel: 'event', milestones: ['opportunity_created'] },
];
const calculatedAt = new Date('2025-02-01T00:00:01.000Z');
const learned = new Map<DataDrivenModel, LearnedWeights>([
  [
    'markov',
    {
      model: 'markov',
      weights: [
        { channel: 'web_form', weight: 0.5 },
        { channel: 'ad', weight: 0.25 },
        { channel: 'event', weight: 0.25 },
      ],
      computedAt: '2025-01-31T00:00:00.000Z',
      journeys: 12,
    },
  ],
]);

function attributeAll(amountCents = deal.amountCents) {
  return dealAttributions({
    deal: { ...deal, amountCents },
    journey,
    models: attributionModels,
    config: defaultAttributionConfig(),
    learned,
    calculatedAt,
  });
}

describe('dealAttributions', () => {
  it('knows the same models as the public contract', () => {
    expect([...attributionModels]).toEqual([...attributionModelNames]);
  });

  it('gives one draft per model that the contract accepts once revised', () => {
    const drafts = attributeAll();
    expect(drafts.map((draft) => draft.model)).toEqual([...attributionModels]);
    for (const draft of drafts) expect(attributionCalculatedV1Schema.parse({ ...draft, revision: 1 })).toBeTruthy();
  });

  it('credits an amount that does not split evenly to the cent, per touch, channel and campaign', () => {
    for (const draft of attributeAll(100_001)) {
      const cents = (amounts: { amount: number }[]) =>
        amounts.reduce((sum, { amount }) => sum + Math.round(amount * 100), 0);
      expect([cents(draft.credits), cents(draft.byChannel), cents(draft.byCampaign)], draft.model).toEqual([
        100_001, 100_001, 100_001,
      ]);
    }
  });

  it('carries the occurrence time and medium of each touch', () => {
    const [first] = attributeAll();
    expect(first?.credits[0]).toMatchObject({ touchId: 't1', occurredAt: '2025-01-01T00:00:00.000Z', medium: 'cpc' });
  });

  it('credits by the learned weights and shows them as the parameters', () => {
    const markov = attributeAll().find((draft) => draft.model === 'markov');
    expect(markov?.credits.map((credit) => credit.amount)).toEqual([500, 250, 250]);
    expect(markov?.config).toMatchObject({ weightsComputedAt: '2025-01-31T00:00:00.000Z', journeys: 12 });
    expect(markov?.fellBackToLinear).toBe(false);
  });

  it('splits evenly and says so when a data-driven model has learned nothing', () => {
    const shapley = attributeAll().find((draft) => draft.model === 'shapley');
    expect(shapley?.fellBackToLinear).toBe(true);
    expect(shapley?.config).toMatchObject({ value: 'conversion_count', channelWeights: [] });
  });

  it('shows the shares a position-based model used', () => {
    const wShaped = attributeAll().find((draft) => draft.model === 'w_shaped');
    expect(wShaped?.config).toEqual({ firstTouch: 30, leadCreated: 30, opportunityCreated: 30, rest: 10 });
  });
});
