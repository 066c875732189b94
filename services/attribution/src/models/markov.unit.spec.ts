import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChannelJourney } from './channel-journey.ts';
import { markovModel } from './markov.ts';

const converted = (...channels: string[]): ChannelJourney => ({ channels, converted: true });
const lost = (...channels: string[]): ChannelJourney => ({ channels, converted: false });

/** The removal effects and weights by channel, to 12 digits. */
function byChannel(journeys: ChannelJourney[]) {
  const result = markovModel(journeys);
  return Object.fromEntries(
    result.channels.map(({ channel, removalEffect, weight }) => [
      channel,
      { removalEffect: round(removalEffect), weight: round(weight) },
    ]),
  );
}
const round = (value: number) => Math.round(value * 1e12) / 1e12;

describe('Markov chain removal effect', () => {
  describe('the three-journey textbook example', () => {
    // C1 → C2 → C3 → conversion, C1 → null, C2 → C3 → null.
    // Transitions: start → C1 2/3, start → C2 1/3; C1 → C2 1/2, C1 → null 1/2; C2 → C3 1;
    // C3 → conversion 1/2, C3 → null 1/2.
    // P(conversion) = 2/3 · 1/2 · 1 · 1/2 + 1/3 · 1 · 1/2 = 1/6 + 1/6 = 1/3 (one journey in three converted).
    // Without C1: only start → C2 → C3 → conversion is left, 1/3 · 1/2 = 1/6 → removal effect 1 − (1/6)/(1/3) = 1/2.
    // Without C2 or C3 no path reaches conversion → removal effect 1 each.
    // Weights: 0.5, 1, 1 over 2.5 → 0.2, 0.4, 0.4.
    const journeys = [converted('C1', 'C2', 'C3'), lost('C1'), lost('C2', 'C3')];

    it('finds the conversion probability', () => {
      expect(markovModel(journeys).conversionProbability).toBeCloseTo(1 / 3, 12);
    });

    it('finds the removal effects and weights', () => {
      expect(byChannel(journeys)).toEqual({
        C1: { removalEffect: 0.5, weight: 0.2 },
        C2: { removalEffect: 1, weight: 0.4 },
        C3: { removalEffect: 1, weight: 0.4 },
      });
    });
  });

  describe('a journey that loops back', () => {
    // A → B → A → conversion, B → null.
    // Transitions: start → A 1/2, start → B 1/2; A → B 1/2, A → conversion 1/2; B → A 1/2, B → null 1/2.
    // p_A = 1/2 + 1/2 · p_B and p_B = 1/2 · p_A → p_A = 1/2 + 1/4 · p_A → p_A = 2/3, p_B = 1/3.
    // P(conversion) = 1/2 · 2/3 + 1/2 · 1/3 = 1/2.
    // Without A: p_B = 0 → P = 0 → removal effect 1.
    // Without B: p_A = 1/2 → P = 1/2 · 1/2 = 1/4 → removal effect 1 − (1/4)/(1/2) = 1/2.
    // Weights: 1 and 1/2 over 3/2 → 2/3 and 1/3.
    const journeys = [converted('A', 'B', 'A'), lost('B')];

    it('solves the chain through the loop', () => {
      expect(markovModel(journeys).conversionProbability).toBeCloseTo(1 / 2, 12);
    });

    it('finds the removal effects and weights', () => {
      expect(byChannel(journeys)).toEqual({
        A: { removalEffect: 1, weight: round(2 / 3) },
        B: { removalEffect: 0.5, weight: round(1 / 3) },
      });
    });
  });

  it('gives nothing to anyone when no journey converted', () => {
    expect(markovModel([lost('A', 'B'), lost('B')])).toEqual({
      conversionProbability: 0,
      channels: [
        { channel: 'A', removalEffect: 0, weight: 0 },
        { channel: 'B', removalEffect: 0, weight: 0 },
      ],
    });
  });

  it('learns nothing from journeys without channels', () => {
    expect(markovModel([converted(), lost('A'), converted('A')])).toEqual(markovModel([lost('A'), converted('A')]));
  });

  it('learns nothing from no journeys', () => {
    expect(markovModel([])).toEqual({ conversionProbability: 0, channels: [] });
  });

  it('does not change with a repeated channel in a row', () => {
    // A self-loop only stretches the time spent in a state, not where the chain ends.
    expect(byChannel([converted('A', 'A', 'B'), lost('B')])).toEqual(byChannel([converted('A', 'B'), lost('B')]));
  });

  describe('for any journeys', () => {
    const journeysArb = fc.array(
      fc.record({
        channels: fc.array(fc.constantFrom('email', 'ads', 'social', 'events', 'web'), { maxLength: 6 }),
        converted: fc.boolean(),
      }),
      { maxLength: 30 },
    );

    it('keeps removal effects within 0 and 1 and weights summing to 1 or all 0', () => {
      fc.assert(
        fc.property(journeysArb, (journeys) => {
          const { channels } = markovModel(journeys);
          for (const { removalEffect, weight } of channels) {
            expect(removalEffect).toBeGreaterThanOrEqual(0);
            expect(removalEffect).toBeLessThanOrEqual(1);
            expect(weight).toBeGreaterThanOrEqual(0);
          }
          const sum = channels.reduce((a, channel) => a + channel.weight, 0);
          expect(channels.every((channel) => channel.weight === 0) || Math.abs(sum - 1) < 1e-9).toBe(true);
        }),
      );
    });

    it('reproduces the observed conversion rate', () => {
      // Flow conservation: in the chain estimated from the journeys, P(conversion) is converted / journeys.
      fc.assert(
        fc.property(journeysArb, (journeys) => {
          const withChannels = journeys.filter((journey) => journey.channels.length > 0);
          const rate =
            withChannels.length === 0
              ? 0
              : withChannels.filter((journey) => journey.converted).length / withChannels.length;
          expect(markovModel(journeys).conversionProbability).toBeCloseTo(rate, 9);
        }),
      );
    });
  });
});
