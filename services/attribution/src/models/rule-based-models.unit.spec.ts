import { describe, expect, it } from 'vitest';
import { defaultAttributionConfig } from './attribution-config.schema.ts';
import { march, plainJourney, touch, wonAt } from './journey.fixture.ts';
import { allocate } from './money.ts';
import {
  firstTouchWeights,
  fullPathWeights,
  lastTouchWeights,
  linearWeights,
  positionBasedWeights,
  ruleBasedWeights,
  timeDecayWeights,
  wShapedWeights,
} from './rule-based-models.ts';
import type { Journey } from './touchpoint.ts';

const config = defaultAttributionConfig();

/** Five touches a…e on days 1…5: first touch a, lead created at b, opportunity created at d, won at e. */
const fullJourney: Journey = [
  touch('a', { day: 1, milestones: ['first_touch'] }),
  touch('b', { day: 2, milestones: ['lead_created', 'mql'] }),
  touch('c', { day: 3 }),
  touch('d', { day: 4, milestones: ['opportunity_created'] }),
  touch('e', { day: 5, milestones: ['closed_won'] }),
];

/** The weights as cents of `amount`, which is how the tests read them. */
const cents = (weights: number[], amount = 1000) => allocate(amount, weights);

describe('first touch', () => {
  it('gives everything to the first touch', () => {
    expect(cents(firstTouchWeights(fullJourney))).toEqual([1000, 0, 0, 0, 0]);
  });
});

describe('last touch', () => {
  it('gives everything to the last touch', () => {
    expect(cents(lastTouchWeights(fullJourney))).toEqual([0, 0, 0, 0, 1000]);
  });
});

describe('linear', () => {
  it('splits evenly', () => {
    expect(cents(linearWeights(fullJourney))).toEqual([200, 200, 200, 200, 200]);
  });

  it('gives an odd cent to the earliest touch', () => {
    // 1001 / 5 = 200.2 each: 1 cent left, equal remainders, the first touch takes it.
    expect(cents(linearWeights(fullJourney), 1001)).toEqual([201, 200, 200, 200, 200]);
  });
});

describe('position based (U-shaped)', () => {
  it('gives 40% to the first and last touch and splits 20% over the middle', () => {
    // 1000 × 20% / 3 = 66.67 each for b, c, d: floors 400 + 66 × 3 + 400 = 998, the 2 cents go to b and c.
    expect(cents(positionBasedWeights(fullJourney, config.positionBased))).toEqual([400, 67, 67, 66, 400]);
  });

  it('gives a single touch everything', () => {
    expect(positionBasedWeights(plainJourney(1), config.positionBased)).toEqual([1]);
  });

  it('splits two touches 50/50, the middle share having no touch', () => {
    expect(positionBasedWeights(plainJourney(2), config.positionBased)).toEqual([0.5, 0.5]);
  });

  it('scales unequal configured ends up in proportion when there is no middle', () => {
    // 30 and 50 out of 80 → 37.5% and 62.5%.
    expect(positionBasedWeights(plainJourney(2), { first: 30, middle: 20, last: 50 })).toEqual([0.375, 0.625]);
  });

  it('gives one middle touch the whole middle share', () => {
    expect(cents(positionBasedWeights(plainJourney(3), config.positionBased))).toEqual([400, 200, 400]);
  });

  it('splits evenly when only the missing middle had a share', () => {
    expect(positionBasedWeights(plainJourney(2), { first: 0, middle: 100, last: 0 })).toEqual([0.5, 0.5]);
  });
});

describe('W-shaped', () => {
  it('gives 30% each to first touch, lead creation and opportunity creation, 10% to the rest', () => {
    // a 30, b 30, d 30; c and e share 10 → 5 each.
    expect(cents(wShapedWeights(fullJourney, config.wShaped))).toEqual([300, 300, 50, 300, 50]);
  });

  it('gives a single touch everything', () => {
    expect(wShapedWeights(plainJourney(1), config.wShaped)).toEqual([1]);
  });

  it('falls back to the first touch for lead creation and the last for opportunity creation', () => {
    // No milestones: a holds first touch and lead creation (60), b holds opportunity creation (30), no rest.
    expect(cents(wShapedWeights(plainJourney(2), config.wShaped), 900)).toEqual([600, 300]);
  });

  it('adds up positions that fall on one touch', () => {
    // a first touch 30; b lead and opportunity creation 60; no rest → 1/3, 2/3.
    const journey = [
      touch('a', { day: 1 }),
      touch('b', { day: 2, milestones: ['lead_created', 'opportunity_created'] }),
    ];
    expect(cents(wShapedWeights(journey, config.wShaped), 900)).toEqual([300, 600]);
  });

  it('gives the rest share to the touches between when first touch and lead creation coincide', () => {
    // a 30 + 30, b rest 10, c opportunity creation 30.
    const journey = [
      touch('a', { day: 1, milestones: ['lead_created'] }),
      touch('b', { day: 2 }),
      touch('c', { day: 3 }),
    ];
    expect(cents(wShapedWeights(journey, config.wShaped))).toEqual([600, 100, 300]);
  });

  it('takes the earliest touch carrying a milestone', () => {
    const journey = [
      touch('a', { day: 1 }),
      touch('b', { day: 2, milestones: ['lead_created'] }),
      touch('c', { day: 3, milestones: ['lead_created'] }),
      touch('d', { day: 4 }),
    ];
    // a 30, b 30, c rest 10, d opportunity creation (fallback last) 30.
    expect(cents(wShapedWeights(journey, config.wShaped))).toEqual([300, 300, 100, 300]);
  });
});

describe('full path (Z-shaped)', () => {
  it('gives 22.5% to each of the four milestones and 10% to the rest', () => {
    expect(cents(fullPathWeights(fullJourney, config.fullPath))).toEqual([225, 225, 100, 225, 225]);
  });

  it('gives a single touch everything', () => {
    expect(fullPathWeights(plainJourney(1), config.fullPath)).toEqual([1]);
  });

  it('splits two touches without milestones 50/50', () => {
    // a: first touch + lead creation 45; b: opportunity creation + closed won 45.
    expect(fullPathWeights(plainJourney(2), config.fullPath)).toEqual([0.5, 0.5]);
  });

  it('weighs a touch that created both the opportunity and the win twice', () => {
    // a 22.5 + 22.5 (lead fallback), b rest 10, c 22.5 + 22.5 (opportunity and closed won both on c).
    const journey = [
      touch('a', { day: 1 }),
      touch('b', { day: 2 }),
      touch('c', { day: 3, milestones: ['opportunity_created', 'closed_won'] }),
    ];
    expect(cents(fullPathWeights(journey, config.fullPath))).toEqual([450, 100, 450]);
  });

  it('keeps closed won apart from opportunity creation when they differ', () => {
    // a first 22.5 + lead 22.5, b opportunity 22.5, c closed won 22.5; no rest → 2 : 1 : 1.
    const journey = [
      touch('a', { day: 1 }),
      touch('b', { day: 2, milestones: ['opportunity_created'] }),
      touch('c', { day: 3 }),
    ];
    expect(cents(fullPathWeights(journey, config.fullPath))).toEqual([500, 250, 250]);
  });
});

describe('time decay', () => {
  const halfLifeDays = 7;

  it('halves the weight every half-life before the conversion', () => {
    // Won on day 15; ages 14, 7 and 0 days → 1/4, 1/2, 1 → 1/7, 2/7, 4/7 of 700.
    const journey = [touch('a', { day: 1 }), touch('b', { day: 8 }), touch('c', { day: 15 })];
    expect(cents(timeDecayWeights(journey, { halfLifeDays, convertedAt: march(15) }), 700)).toEqual([100, 200, 400]);
  });

  it('gives a single touch everything', () => {
    expect(timeDecayWeights(plainJourney(1), { halfLifeDays, convertedAt: wonAt })).toEqual([1]);
  });

  it('splits touches at the same time evenly', () => {
    const journey = [touch('a', { day: 3 }), touch('b', { day: 3 })];
    expect(timeDecayWeights(journey, { halfLifeDays, convertedAt: wonAt })).toEqual([0.5, 0.5]);
  });

  it('counts a touch after the conversion as age zero', () => {
    // Won on day 8: a is 7 days old (1/2), b on day 10 counts as 0 days (1) → 1/3, 2/3.
    const journey = [touch('a', { day: 1 }), touch('b', { day: 10 })];
    expect(cents(timeDecayWeights(journey, { halfLifeDays, convertedAt: march(8) }), 300)).toEqual([100, 200]);
  });

  it('does not underflow for touches decades before the conversion', () => {
    // 2^(−36500/7) is below the smallest double; relative to the youngest touch the weights stay 1/2 and 1.
    const journey = [touch('a', { day: 1 }), touch('b', { day: 8 })];
    const convertedAt = new Date(Date.parse(march(8)) + 36_500 * 86_400_000).toISOString();
    expect(cents(timeDecayWeights(journey, { halfLifeDays, convertedAt }), 300)).toEqual([100, 200]);
  });

  it('uses the configured half-life', () => {
    // Half-life 1 day, ages 2 and 0 days → 1/4 and 1 → 1/5, 4/5.
    const journey = [touch('a', { day: 1 }), touch('b', { day: 3 })];
    expect(cents(timeDecayWeights(journey, { halfLifeDays: 1, convertedAt: march(3) }), 500)).toEqual([100, 400]);
  });
});

describe('ruleBasedWeights', () => {
  it('runs the named model with the tenant settings', () => {
    const custom = { ...config, positionBased: { first: 50, middle: 0, last: 50 } };
    expect(
      ruleBasedWeights('position_based', { journey: plainJourney(3), config: custom, convertedAt: wonAt }),
    ).toEqual([0.5, 0, 0.5]);
  });

  it('passes the conversion time to time decay', () => {
    const journey = [touch('a', { day: 1 }), touch('b', { day: 8 })];
    expect(ruleBasedWeights('time_decay', { journey, config, convertedAt: march(8) })).toEqual([1 / 3, 2 / 3]);
  });
});
