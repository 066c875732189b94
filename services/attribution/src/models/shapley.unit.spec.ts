import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChannelJourney } from './channel-journey.ts';
import { shapleyModel } from './shapley.ts';

const times = (count: number, journey: ChannelJourney) => Array.from({ length: count }, () => journey);
const converted = (...channels: string[]): ChannelJourney => ({ channels, converted: true });
const lost = (...channels: string[]): ChannelJourney => ({ channels, converted: false });
const round = (value: number) => Math.round(value * 1e12) / 1e12;

/** Values and weights by channel, to 12 digits. */
function byChannel(options: Parameters<typeof shapleyModel>[0]) {
  return Object.fromEntries(
    shapleyModel(options).channels.map(({ channel, value, weight }) => [
      channel,
      { value: round(value), weight: round(weight) },
    ]),
  );
}

describe('Shapley value over channel sets', () => {
  describe('counting conversions, the three-channel example', () => {
    // Converting journeys by channel set: {A} 3, {B} 1, {A,B} 2, {B,C} 2, {A,B,C} 3; 11 in all.
    // v(S) = conversions of journeys whose channels all lie in S:
    //   v(∅) = 0, v(A) = 3, v(B) = 1, v(C) = 0, v(AB) = 3 + 1 + 2 = 6, v(AC) = 3, v(BC) = 1 + 2 = 3, v(ABC) = 11.
    // With 3 players the weight of a coalition of size s is s!(2 − s)!/3!: 1/3 for s = 0 and 2, 1/6 for s = 1.
    // φ_A = 1/3·(3 − 0) + 1/6·(6 − 1) + 1/6·(3 − 0) + 1/3·(11 − 3) = 1 + 5/6 + 3/6 + 8/3 = 5
    // φ_B = 1/3·(1 − 0) + 1/6·(6 − 3) + 1/6·(3 − 0) + 1/3·(11 − 3) = 1/3 + 1/2 + 1/2 + 8/3 = 4
    // φ_C = 1/3·(0 − 0) + 1/6·(3 − 3) + 1/6·(3 − 1) + 1/3·(11 − 6) = 0 + 0 + 1/3 + 5/3 = 2
    // The values add up to the 11 conversions; weights 5/11, 4/11, 2/11.
    const journeys = [
      ...times(3, converted('A')),
      converted('B'),
      ...times(2, converted('A', 'B')),
      ...times(2, converted('B', 'C')),
      ...times(3, converted('C', 'A', 'B', 'A')),
    ];

    it('finds the values and weights', () => {
      expect(byChannel({ journeys, value: 'conversion_count', maxChannels: 12 })).toEqual({
        A: { value: 5, weight: round(5 / 11) },
        B: { value: 4, weight: round(4 / 11) },
        C: { value: 2, weight: round(2 / 11) },
      });
    });

    it('ignores journeys that did not convert', () => {
      const withLosses = [...journeys, ...times(5, lost('C')), lost('A', 'B', 'C')];
      expect(byChannel({ journeys: withLosses, value: 'conversion_count', maxChannels: 12 })).toEqual(
        byChannel({ journeys, value: 'conversion_count', maxChannels: 12 }),
      );
    });
  });

  describe('by conversion rate', () => {
    it('finds the values of the two-channel example', () => {
      // {A}: 10 journeys, 2 converted; {B}: 10, 1; {A,B}: 10, 5.
      // v(A) = 2/10 = 0.2, v(B) = 1/10 = 0.1, v(AB) = (2 + 1 + 5)/30 = 4/15.
      // φ_A = 1/2·(0.2 − 0) + 1/2·(4/15 − 0.1) = 0.1 + 1/12 = 11/60
      // φ_B = 1/2·(0.1 − 0) + 1/2·(4/15 − 0.2) = 0.05 + 1/30 = 1/12
      // Weights: 11/60 and 5/60 over 16/60 → 11/16 and 5/16.
      const journeys = [
        ...times(2, converted('A')),
        ...times(8, lost('A')),
        converted('B'),
        ...times(9, lost('B')),
        ...times(5, converted('A', 'B')),
        ...times(5, lost('B', 'A')),
      ];
      expect(byChannel({ journeys, value: 'conversion_rate', maxChannels: 12 })).toEqual({
        A: { value: round(11 / 60), weight: round(11 / 16) },
        B: { value: round(1 / 12), weight: round(5 / 16) },
      });
    });

    it('gives no weight to a channel whose presence lowers the rate', () => {
      // {A}: 10 journeys, 5 converted; {B}: 10, 1; {A,B}: 10, 1.
      // v(A) = 0.5, v(B) = 0.1, v(AB) = 7/30.
      // φ_A = 1/2·0.5 + 1/2·(7/30 − 0.1) = 0.25 + 1/15 = 19/60
      // φ_B = 1/2·0.1 + 1/2·(7/30 − 0.5) = 0.05 − 2/15 = −1/12 → weight 0, A takes it all.
      const journeys = [
        ...times(5, converted('A')),
        ...times(5, lost('A')),
        converted('B'),
        ...times(9, lost('B')),
        converted('A', 'B'),
        ...times(9, lost('A', 'B')),
      ];
      expect(byChannel({ journeys, value: 'conversion_rate', maxChannels: 12 })).toEqual({
        A: { value: round(19 / 60), weight: 1 },
        B: { value: round(-1 / 12), weight: 0 },
      });
    });

    it('lowers a channel that appears in journeys that did not convert', () => {
      const journeys = [converted('A'), converted('B')];
      const before = shapleyModel({ journeys, value: 'conversion_rate', maxChannels: 12 });
      const after = shapleyModel({ journeys: [...journeys, lost('B')], value: 'conversion_rate', maxChannels: 12 });
      expect(before.channels.map((channel) => channel.weight)).toEqual([0.5, 0.5]);
      // v(A) = 1, v(B) = 1/2, v(AB) = 2/3: φ_A = (1 + 1/6)/2 = 7/12, φ_B = (1/2 − 1/3)/2 = 1/12 → 7/8 and 1/8.
      expect(after.channels.map((channel) => round(channel.weight))).toEqual([round(7 / 8), round(1 / 8)]);
    });
  });

  describe('with more channels than maxChannels', () => {
    // Journeys: {A} converted, {A} lost, {A,B} converted, {C} converted. A is in 3 journeys, B and C in 1 each.
    // With 2 players, A plays alone and B, C play together as O.
    // v(A) = 1, v(O) = 1 ({C}), v(AO) = 3 → φ_A = 1/2·1 + 1/2·(3 − 1) = 1.5, φ_O = 1/2·1 + 1/2·(3 − 1) = 1.5.
    // B and C are each in one converting journey, so they split O's 1.5 evenly: 0.75 each.
    const journeys = [converted('A'), lost('A'), converted('A', 'B'), converted('C')];

    it('plays the least frequent channels as one and splits its value', () => {
      expect(shapleyModel({ journeys, value: 'conversion_count', maxChannels: 2 })).toEqual({
        channels: [
          { channel: 'A', value: 1.5, weight: 0.5 },
          { channel: 'B', value: 0.75, weight: 0.25 },
          { channel: 'C', value: 0.75, weight: 0.25 },
        ],
        grouped: ['B', 'C'],
      });
    });

    it('splits the group by the converting journeys each channel is in', () => {
      // D joins the group with no converting journey: B and C keep 0.75 each, D gets 0.
      const withD = [...journeys, lost('D')];
      const { channels } = shapleyModel({ journeys: withD, value: 'conversion_count', maxChannels: 2 });
      expect(channels.map(({ channel, value }) => [channel, value])).toEqual([
        ['A', 1.5],
        ['B', 0.75],
        ['C', 0.75],
        ['D', 0],
      ]);
    });
  });

  it.each([1, 17, 2.5])('refuses maxChannels %s', (maxChannels) => {
    expect(() => shapleyModel({ journeys: [], value: 'conversion_count', maxChannels })).toThrow(RangeError);
  });

  it('learns nothing from no journeys', () => {
    expect(shapleyModel({ journeys: [], value: 'conversion_count', maxChannels: 12 })).toEqual({
      channels: [],
      grouped: [],
    });
  });

  describe('for any journeys, counting conversions', () => {
    const channelArb = fc.constantFrom('email', 'ads', 'social', 'events', 'web', 'partner', 'direct');
    const journeysArb = fc.array(
      fc.record({ channels: fc.array(channelArb, { maxLength: 5 }), converted: fc.boolean() }),
      { maxLength: 30 },
    );

    it('agrees with the closed form: each conversion split evenly over its channel set', () => {
      // v is a sum of unanimity games, one per converting journey, and each gives 1/|T| to its channels T.
      fc.assert(
        fc.property(journeysArb, (journeys) => {
          const expected = new Map<string, number>();
          for (const journey of journeys) {
            const set = new Set(journey.channels);
            for (const channel of set) {
              expected.set(channel, (expected.get(channel) ?? 0) + (journey.converted ? 1 / set.size : 0));
            }
          }
          for (const { channel, value } of shapleyModel({ journeys, value: 'conversion_count', maxChannels: 12 })
            .channels) {
            expect(value).toBeCloseTo(expected.get(channel) ?? Number.NaN, 9);
          }
        }),
      );
    });

    it('keeps weights non-negative and summing to 1 or all 0, with any grouping', () => {
      fc.assert(
        fc.property(
          journeysArb,
          fc.constantFrom('conversion_count' as const, 'conversion_rate' as const),
          fc.integer({ min: 2, max: 8 }),
          (journeys, value, maxChannels) => {
            const { channels } = shapleyModel({ journeys, value, maxChannels });
            expect(channels.every((channel) => channel.weight >= 0)).toBe(true);
            const sum = channels.reduce((a, channel) => a + channel.weight, 0);
            expect(channels.every((channel) => channel.weight === 0) || Math.abs(sum - 1) < 1e-9).toBe(true);
          },
        ),
      );
    });
  });
});
