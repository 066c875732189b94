import { shapleyChannelLimit } from './attribution-config.schema.ts';
import type { ShapleyValueKind } from './attribution-config.schema.ts';
import { shareOfTotal } from './channel-journey.ts';
import type { ChannelJourney } from './channel-journey.ts';
import { compareText } from './touchpoint.ts';

export type ShapleyChannel = { channel: string; value: number; weight: number };
/** `grouped`: the channels that played together as one player because there were more than `maxChannels`. */
export type ShapleyResult = { channels: ShapleyChannel[]; grouped: string[] };

/**
 * Shapley values of a cooperative game whose players are channels and where a coalition S is worth, over the
 * journeys whose channels all lie in S (a journey counts by its set of channels, order and repeats ignored):
 * - `conversion_count`: their conversions. Non-converting journeys then change nothing, and a channel's value is
 *   the conversions it is credited with (the values sum to all conversions).
 * - `conversion_rate`: their conversions divided by their number, so journeys that did not convert lower the
 *   worth of their channels. A channel whose presence lowers the rate can get a negative value; its weight is 0.
 *
 * The values come from the exact formula `φ_i = Σ_{S ∌ i} |S|!(n−|S|−1)!/n! · (v(S ∪ {i}) − v(S))` over all 2^n
 * coalitions. With more than `maxChannels` channels, the `maxChannels − 1` channels in most journeys (ties by
 * name) play alone and the others play together as one player, whose value is split over them in proportion to
 * the converting journeys each appears in. Weights are the positive values scaled to sum to 1 (all 0 when none
 * is positive). Channels come out in code-unit order.
 */
export function shapleyModel(options: {
  journeys: readonly ChannelJourney[];
  value: ShapleyValueKind;
  maxChannels: number;
}): ShapleyResult {
  const { journeys } = options;
  if (!Number.isInteger(options.maxChannels) || options.maxChannels < 2 || options.maxChannels > shapleyChannelLimit) {
    throw new RangeError(`maxChannels must be a whole number from 2 to ${shapleyChannelLimit}: ${options.maxChannels}`);
  }
  const { players, playerCount, grouped } = choosePlayers(journeys, options.maxChannels);
  const worth = coalitionWorth({ journeys, players, playerCount, value: options.value });
  const playerValues = shapleyValues(worth, playerCount);
  const groupShare = shareOfGroup(grouped, journeys);

  const channels = [...players.keys()].sort(compareText);
  const values = channels.map((channel) => {
    const playerValue = playerValues[players.get(channel) ?? 0] ?? 0;
    return playerValue * (groupShare.get(channel) ?? 1);
  });
  const weights = shareOfTotal(values);
  return {
    channels: channels.map((channel, index) => ({ channel, value: values[index] ?? 0, weight: weights[index] ?? 0 })),
    grouped: [...grouped].sort(compareText),
  };
}

/** Player index per channel; above `maxChannels`, the least frequent channels share the last index. */
function choosePlayers(
  journeys: readonly ChannelJourney[],
  maxChannels: number,
): { players: Map<string, number>; playerCount: number; grouped: string[] } {
  const appearances = new Map<string, number>();
  for (const journey of journeys) {
    for (const channel of new Set(journey.channels)) appearances.set(channel, (appearances.get(channel) ?? 0) + 1);
  }
  const ranked = [...appearances.keys()].sort(
    (a, b) => (appearances.get(b) ?? 0) - (appearances.get(a) ?? 0) || compareText(a, b),
  );
  if (ranked.length <= maxChannels) {
    return {
      players: new Map(ranked.map((channel, index) => [channel, index])),
      playerCount: ranked.length,
      grouped: [],
    };
  }
  const alone = ranked.slice(0, maxChannels - 1);
  const grouped = ranked.slice(maxChannels - 1);
  const players = new Map(alone.map((channel, index) => [channel, index]));
  for (const channel of grouped) players.set(channel, maxChannels - 1);
  return { players, playerCount: maxChannels, grouped };
}

/** How the grouped player's value is split: by converting journeys each channel is in, else evenly. */
function shareOfGroup(grouped: readonly string[], journeys: readonly ChannelJourney[]): Map<string, number> {
  const converting = grouped.map(
    (channel) => journeys.filter((journey) => journey.converted && journey.channels.includes(channel)).length,
  );
  const shares = converting.some((count) => count > 0)
    ? shareOfTotal(converting)
    : grouped.map(() => 1 / grouped.length);
  return new Map(grouped.map((channel, index) => [channel, shares[index] ?? 0]));
}

/** v(S) for every coalition S, indexed by the bit mask of its players. */
function coalitionWorth(options: {
  journeys: readonly ChannelJourney[];
  players: ReadonlyMap<string, number>;
  playerCount: number;
  value: ShapleyValueKind;
}): Float64Array {
  const size = 2 ** options.playerCount;
  const journeysWithin = new Float64Array(size);
  const conversionsWithin = new Float64Array(size);
  for (const journey of options.journeys) {
    const mask = journey.channels.reduce((bits, channel) => bits | (1 << (options.players.get(channel) ?? 0)), 0);
    if (mask === 0) continue;
    journeysWithin[mask] = (journeysWithin[mask] ?? 0) + 1;
    if (journey.converted) conversionsWithin[mask] = (conversionsWithin[mask] ?? 0) + 1;
  }
  // Sum over subsets: afterwards entry S counts the journeys whose channel set is any subset of S.
  for (let bit = 1; bit < size; bit <<= 1) {
    for (let mask = 0; mask < size; mask += 1) {
      if ((mask & bit) === 0) continue;
      journeysWithin[mask] = (journeysWithin[mask] ?? 0) + (journeysWithin[mask ^ bit] ?? 0);
      conversionsWithin[mask] = (conversionsWithin[mask] ?? 0) + (conversionsWithin[mask ^ bit] ?? 0);
    }
  }
  if (options.value === 'conversion_count') return conversionsWithin;
  return conversionsWithin.map((conversions, mask) => {
    const within = journeysWithin[mask] ?? 0;
    return within > 0 ? conversions / within : 0;
  });
}

/** The exact Shapley value of each of `n` players of the game `worth` (indexed by coalition bit mask). */
function shapleyValues(worth: Float64Array, n: number): number[] {
  // weightBySize[s] = s!(n−s−1)!/n! = 1 / (n · C(n−1, s)).
  const weightBySize: number[] = [];
  let binomial = 1;
  for (let s = 0; s < n; s += 1) {
    weightBySize.push(1 / (n * binomial));
    binomial = (binomial * (n - 1 - s)) / (s + 1);
  }
  const sizeOf = new Uint8Array(worth.length);
  for (let mask = 1; mask < worth.length; mask += 1) sizeOf[mask] = (sizeOf[mask >> 1] ?? 0) + (mask & 1);

  const values = Array.from({ length: n }, () => 0);
  for (let coalition = 0; coalition < worth.length; coalition += 1) {
    const weight = weightBySize[sizeOf[coalition] ?? 0] ?? 0;
    const without = worth[coalition] ?? 0;
    for (let player = 0; player < n; player += 1) {
      const bit = 1 << player;
      if ((coalition & bit) !== 0) continue;
      values[player] = (values[player] ?? 0) + weight * ((worth[coalition | bit] ?? 0) - without);
    }
  }
  return values;
}
