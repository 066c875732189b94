import type { ChannelWeight, DataDrivenModel } from '../models/index.ts';

/** The channel weights a data-driven model learned for a tenant, and from how many journeys. */
export type LearnedWeights = {
  model: DataDrivenModel;
  weights: ChannelWeight[];
  /** ISO 8601. */
  computedAt: string;
  journeys: number;
};

// Weights are recomputed from the same journeys by the same floating-point steps, so equal inputs give
// bit-equal results; the tolerance only absorbs a different summation order across versions.
const tolerance = 1e-12;

/** Whether two sets of channel weights are the same, whatever their order. */
export function sameWeights(a: readonly ChannelWeight[], b: readonly ChannelWeight[]): boolean {
  if (a.length !== b.length) return false;
  const byChannel = new Map(a.map(({ channel, weight }) => [channel, weight]));
  return b.every(({ channel, weight }) => {
    const other = byChannel.get(channel);
    return other !== undefined && Math.abs(other - weight) <= tolerance;
  });
}
