import type { Journey } from './touchpoint.ts';

/** One person's path through the channels, as the data-driven models learn from it. */
export type ChannelJourney = { channels: readonly string[]; converted: boolean };

/** A channel's share of the credit by a data-driven model; the weights of one model sum to 1, or are all 0. */
export type ChannelWeight = { channel: string; weight: number };

/** The channels of a journey in journey order, repeats kept. */
export function channelJourneyOf(journey: Journey, converted: boolean): ChannelJourney {
  return { channels: journey.map((touch) => touch.channel), converted };
}

/** Each value's share of the total, negative values counting as zero; all zero when nothing is positive. */
export function shareOfTotal(values: readonly number[]): number[] {
  const positive = values.map((value) => Math.max(0, value));
  const sum = positive.reduce((a, b) => a + b, 0);
  return positive.map((value) => (sum > 0 ? value / sum : 0));
}
