import { describe, expect, it } from 'vitest';
import { attribute } from './attribute.ts';
import type { AttributeInput } from './attribute.ts';
import { defaultAttributionConfig } from './attribution-config.schema.ts';
import { dataDrivenWeights } from './data-driven-models.ts';
import { touch, wonAt } from './journey.fixture.ts';

const config = defaultAttributionConfig();

const journey = [
  touch('t1', { day: 1, channel: 'email', campaign: 'spring' }),
  touch('t2', { day: 2, channel: 'ads' }),
  touch('t3', { day: 3, channel: 'email', campaign: 'spring' }),
];

function attributeDeal(input: Partial<AttributeInput> = {}) {
  return attribute({
    model: 'linear',
    journey,
    amountCents: 1000,
    currency: 'EUR',
    convertedAt: wonAt,
    config,
    ...input,
  });
}

describe('attribute', () => {
  it('credits every touch, channel and campaign in minor units', () => {
    // 1000 / 3 = 333.33 each; the left-over cent goes to the first touch.
    expect(attributeDeal()).toEqual({
      model: 'linear',
      currency: 'EUR',
      amountCents: 1000,
      fellBackToLinear: false,
      credits: [
        { touchId: 't1', channel: 'email', campaign: 'spring', weight: 1 / 3, amountCents: 334 },
        { touchId: 't2', channel: 'ads', weight: 1 / 3, amountCents: 333 },
        { touchId: 't3', channel: 'email', campaign: 'spring', weight: 1 / 3, amountCents: 333 },
      ],
      byChannel: [
        { channel: 'email', amountCents: 667 },
        { channel: 'ads', amountCents: 333 },
      ],
      byCampaign: [
        { campaign: 'spring', amountCents: 667 },
        { campaign: null, amountCents: 333 },
      ],
    });
  });

  it('orders the touches by time, then by id', () => {
    const sameTime = [touch('b', { day: 2 }), touch('z', { day: 1 }), touch('a', { day: 2 })];
    const { credits } = attributeDeal({ journey: sameTime, model: 'first_touch' });
    expect(credits.map((credit) => [credit.touchId, credit.amountCents])).toEqual([
      ['z', 1000],
      ['a', 0],
      ['b', 0],
    ]);
  });

  it('compares times across offsets', () => {
    // 09:00+02:00 is 07:00Z, before 08:00Z.
    const touches = [
      { ...touch('late'), occurredAt: '2025-03-01T08:00:00Z' },
      { ...touch('early'), occurredAt: '2025-03-01T09:00:00+02:00' },
    ];
    expect(attributeDeal({ journey: touches, model: 'first_touch' }).credits[0]?.touchId).toBe('early');
  });

  it('attributes a deal by the W-shaped model with its milestones', () => {
    const milestoned = [
      touch('t1', { day: 1, channel: 'ads' }),
      touch('t2', { day: 2, channel: 'email', milestones: ['lead_created'] }),
      touch('t3', { day: 3, channel: 'events', milestones: ['opportunity_created'] }),
      touch('t4', { day: 4, channel: 'email' }),
    ];
    // ads 30, email 30 + 10 (rest), events 30.
    expect(attributeDeal({ journey: milestoned, model: 'w_shaped' }).byChannel).toEqual([
      { channel: 'ads', amountCents: 300 },
      { channel: 'email', amountCents: 400 },
      { channel: 'events', amountCents: 300 },
    ]);
  });

  describe('by a data-driven model', () => {
    it('splits by channel weight, then evenly over the channel’s touches', () => {
      // email 0.75 over two touches → 0.375 each, ads 0.25.
      const dataDriven = [
        { channel: 'ads', weight: 0.25 },
        { channel: 'email', weight: 0.75 },
      ];
      const result = attributeDeal({ model: 'markov', dataDriven });
      expect(result.credits.map((credit) => credit.amountCents)).toEqual([375, 250, 375]);
      expect(result.fellBackToLinear).toBe(false);
    });

    it('scales up the weights of the journey’s own channels', () => {
      // social is not in this journey: email 0.5 and ads 0.25 become 2/3 and 1/3.
      const dataDriven = [
        { channel: 'ads', weight: 0.25 },
        { channel: 'email', weight: 0.5 },
        { channel: 'social', weight: 0.25 },
      ];
      expect(attributeDeal({ model: 'shapley', dataDriven, amountCents: 900 }).byChannel).toEqual([
        { channel: 'email', amountCents: 600 },
        { channel: 'ads', amountCents: 300 },
      ]);
    });

    it('gives nothing to a known channel the model values at zero', () => {
      const dataDriven = [
        { channel: 'ads', weight: 0 },
        { channel: 'email', weight: 1 },
      ];
      expect(attributeDeal({ model: 'markov', dataDriven }).byChannel).toEqual([
        { channel: 'email', amountCents: 1000 },
        { channel: 'ads', amountCents: 0 },
      ]);
    });

    it('falls back to linear when a channel of the journey is unknown to the model', () => {
      const result = attributeDeal({ model: 'markov', dataDriven: [{ channel: 'email', weight: 1 }] });
      expect(result.fellBackToLinear).toBe(true);
      expect(result.credits.map((credit) => credit.amountCents)).toEqual([334, 333, 333]);
    });

    it('falls back to linear when the journey’s channels all weigh zero', () => {
      const dataDriven = [
        { channel: 'ads', weight: 0 },
        { channel: 'email', weight: 0 },
        { channel: 'social', weight: 1 },
      ];
      expect(attributeDeal({ model: 'shapley', dataDriven }).fellBackToLinear).toBe(true);
    });

    it('falls back to linear without learned weights', () => {
      expect(attributeDeal({ model: 'markov' }).fellBackToLinear).toBe(true);
    });

    it('refuses a channel weighed twice', () => {
      const dataDriven = [
        { channel: 'email', weight: 1 },
        { channel: 'email', weight: 0 },
      ];
      expect(() => attributeDeal({ model: 'markov', dataDriven })).toThrow(RangeError);
    });

    it('attributes the Markov textbook example from learned weights', () => {
      // markov.unit.spec.ts: C1 0.2, C2 0.4, C3 0.4.
      const journeys = [
        { channels: ['C1', 'C2', 'C3'], converted: true },
        { channels: ['C1'], converted: false },
        { channels: ['C2', 'C3'], converted: false },
      ];
      const dataDriven = dataDrivenWeights({ model: 'markov', journeys, config });
      const deal = [
        touch('x', { day: 1, channel: 'C1' }),
        touch('y', { day: 2, channel: 'C2' }),
        touch('z', { day: 3, channel: 'C3' }),
      ];
      expect(attributeDeal({ model: 'markov', journey: deal, dataDriven }).byChannel).toEqual([
        { channel: 'C1', amountCents: 200 },
        { channel: 'C2', amountCents: 400 },
        { channel: 'C3', amountCents: 400 },
      ]);
    });

    it('attributes by Shapley values from learned weights', () => {
      // shapley.unit.spec.ts by rate with a lost B journey: A 7/8, B 1/8.
      const journeys = [
        { channels: ['A'], converted: true },
        { channels: ['B'], converted: true },
        { channels: ['B'], converted: false },
      ];
      const dataDriven = dataDrivenWeights({
        model: 'shapley',
        journeys,
        config: { ...config, shapley: { value: 'conversion_rate', maxChannels: 12 } },
      });
      const deal = [touch('x', { day: 1, channel: 'A' }), touch('y', { day: 2, channel: 'B' })];
      expect(attributeDeal({ model: 'shapley', journey: deal, dataDriven, amountCents: 800 }).byChannel).toEqual([
        { channel: 'A', amountCents: 700 },
        { channel: 'B', amountCents: 100 },
      ]);
    });
  });

  describe('refuses', () => {
    it('an empty journey', () => {
      expect(() => attributeDeal({ journey: [] })).toThrow('a journey needs at least one touch');
    });

    it('a touch listed twice', () => {
      expect(() => attributeDeal({ journey: [touch('a'), touch('a', { day: 2 })] })).toThrow('appears twice');
    });

    it('an unreadable touch time', () => {
      expect(() => attributeDeal({ journey: [{ ...touch('a'), occurredAt: 'yesterday' }] })).toThrow(RangeError);
    });

    it('an unreadable conversion time', () => {
      expect(() => attributeDeal({ convertedAt: '' })).toThrow('convertedAt');
    });

    it('a negative amount', () => {
      expect(() => attributeDeal({ amountCents: -1 })).toThrow(RangeError);
    });
  });
});
