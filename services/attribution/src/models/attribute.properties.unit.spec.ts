import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxMoneyAmount } from '@l2o/contracts';
import { attribute } from './attribute.ts';
import type { Attribution } from './attribute.ts';
import { attributionConfigSchema } from './attribution-config.schema.ts';
import type { AttributionConfig } from './attribution-config.schema.ts';
import { attributionModels, isDataDriven } from './attribution-model.ts';
import type { AttributionModel } from './attribution-model.ts';
import type { ChannelJourney } from './channel-journey.ts';
import { dataDrivenWeights } from './data-driven-models.ts';
import { milestones } from './touchpoint.ts';
import type { Touchpoint } from './touchpoint.ts';

const channels = ['email', 'ads', 'social', 'events', 'web', 'partner'] as const;
const from = Date.parse('2025-01-01T00:00:00Z');
const to = Date.parse('2025-07-01T00:00:00Z');

// Few distinct times, so that touches at the same moment (ordered by id) come up often.
const touchArb = fc.record({
  occurredAt: fc
    .oneof(fc.integer({ min: from, max: to }), fc.constantFrom(from, from + 86_400_000))
    .map((ms) => new Date(ms).toISOString()),
  channel: fc.constantFrom(...channels),
  campaign: fc.option(fc.constantFrom('spring', 'summer', 'webinar'), { nil: undefined }),
  milestones: fc.subarray([...milestones]),
});
const journeyArb: fc.Arbitrary<Touchpoint[]> = fc.array(touchArb, { minLength: 1, maxLength: 12 }).map((touches) =>
  touches.map(({ campaign, ...touch }, index) => ({
    id: `t${index}`,
    ...touch,
    ...(campaign === undefined ? {} : { campaign }),
  })),
);

const share = fc.integer({ min: 0, max: 100 });
const configArb: fc.Arbitrary<AttributionConfig> = fc
  .record({
    u: fc.tuple(share, share).filter(([a, b]) => a + b <= 100),
    w: fc.tuple(share, share, share).filter(([a, b, c]) => a + b + c <= 100),
    z: fc.tuple(share, share, share, share).filter(([a, b, c, d]) => a + b + c + d <= 100),
    halfLifeDays: fc.double({ min: 0.01, max: 365, noNaN: true }),
    shapley: fc.record({
      value: fc.constantFrom('conversion_count' as const, 'conversion_rate' as const),
      maxChannels: fc.integer({ min: 2, max: 8 }),
    }),
  })
  .map(({ u: [first, last], w: [wf, wl, wo], z: [zf, zl, zo, zc], halfLifeDays, shapley }) =>
    attributionConfigSchema.parse({
      positionBased: { first, middle: 100 - first - last, last },
      wShaped: { firstTouch: wf, leadCreated: wl, opportunityCreated: wo, rest: 100 - wf - wl - wo },
      fullPath: {
        firstTouch: zf,
        leadCreated: zl,
        opportunityCreated: zo,
        closedWon: zc,
        rest: 100 - zf - zl - zo - zc,
      },
      timeDecay: { halfLifeDays },
      shapley,
    }),
  );

// Learned from journeys over some of the channels, so deals with channels the model never saw come up too.
const learnedFromArb: fc.Arbitrary<ChannelJourney[]> = fc.array(
  fc.record({
    channels: fc.array(fc.constantFrom(...channels.slice(0, 5)), { maxLength: 5 }),
    converted: fc.boolean(),
  }),
  { maxLength: 25 },
);

type Deal = {
  model: AttributionModel;
  journey: Touchpoint[];
  amountCents: number;
  convertedAt: string;
  config: AttributionConfig;
  learnedFrom: ChannelJourney[];
};

// The largest amount the APIs accept, in cents: every model must split it exactly too.
const maxAmountCents = Math.round(maxMoneyAmount * 100);

const dealArb = (model: AttributionModel): fc.Arbitrary<Deal> =>
  fc.record({
    model: fc.constant(model),
    journey: journeyArb,
    amountCents: fc.oneof(
      fc.integer({ min: 0, max: 1_000_000_000 }),
      fc.integer({ min: 0, max: maxAmountCents }),
      fc.constantFrom(0, 1, 999_999_999, 1_000_000_000, maxAmountCents),
    ),
    convertedAt: fc.integer({ min: from, max: to + 30 * 86_400_000 }).map((ms) => new Date(ms).toISOString()),
    config: configArb,
    learnedFrom: learnedFromArb,
  });

/** Attributes the deal, learning the data-driven weights from `learnedFrom` first. */
function attributeDeal(deal: Deal, journey: readonly Touchpoint[] = deal.journey): Attribution {
  const { model, config, learnedFrom } = deal;
  const dataDriven = isDataDriven(model) ? dataDrivenWeights({ model, journeys: learnedFrom, config }) : undefined;
  return attribute({ ...deal, journey, currency: 'EUR', ...(dataDriven === undefined ? {} : { dataDriven }) });
}

const sum = (amounts: { amountCents: number }[]) => amounts.reduce((a, b) => a + b.amountCents, 0);
const isWholeAndNonNegative = (amounts: { amountCents: number }[]) =>
  amounts.every(({ amountCents }) => Number.isSafeInteger(amountCents) && amountCents >= 0);

describe.each(attributionModels)('attribute by %s, for any journey and amount', (model) => {
  it('never credits a negative or fractional amount', () => {
    fc.assert(
      fc.property(dealArb(model), (deal) => {
        const result = attributeDeal(deal);
        expect(isWholeAndNonNegative(result.credits)).toBe(true);
        expect(isWholeAndNonNegative(result.byChannel)).toBe(true);
        expect(isWholeAndNonNegative(result.byCampaign)).toBe(true);
      }),
    );
  });

  it('credits exactly the deal amount, per touch, per channel and per campaign', () => {
    fc.assert(
      fc.property(dealArb(model), (deal) => {
        const result = attributeDeal(deal);
        expect(result.credits).toHaveLength(deal.journey.length);
        expect(sum(result.credits)).toBe(deal.amountCents);
        expect(sum(result.byChannel)).toBe(deal.amountCents);
        expect(sum(result.byCampaign)).toBe(deal.amountCents);
      }),
    );
  });

  it('gives the same result again and whatever order the touches come in', () => {
    const dealAndShuffleArb = dealArb(model).chain((deal) =>
      fc.tuple(fc.constant(deal), fc.shuffledSubarray(deal.journey, { minLength: deal.journey.length })),
    );
    fc.assert(
      fc.property(dealAndShuffleArb, ([deal, shuffled]) => {
        const result = attributeDeal(deal);
        expect(attributeDeal(deal)).toEqual(result);
        expect(attributeDeal(deal, shuffled)).toEqual(result);
      }),
    );
  });

  it('gives weights that are non-negative and sum to 1', () => {
    fc.assert(
      fc.property(dealArb(model), (deal) => {
        const { credits } = attributeDeal(deal);
        expect(credits.every((credit) => credit.weight >= 0)).toBe(true);
        expect(credits.reduce((a, credit) => a + credit.weight, 0)).toBeCloseTo(1, 9);
      }),
    );
  });
});
