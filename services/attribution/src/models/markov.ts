import { shareOfTotal } from './channel-journey.ts';
import type { ChannelJourney } from './channel-journey.ts';
import { compareText } from './touchpoint.ts';

export type MarkovChannel = { channel: string; removalEffect: number; weight: number };
export type MarkovResult = { conversionProbability: number; channels: MarkovChannel[] };

/**
 * First-order Markov chain over the journeys: states start, one per channel, conversion and null. Each journey
 * adds the transitions start → its first channel → … → its last channel → conversion (or null); probabilities are
 * transition counts divided by the counts out of a state. A channel's removal effect is
 * `1 − P(conversion without it) / P(conversion)`, where removing a channel sends every transition into it to null;
 * the weights are the removal effects scaled to sum to 1 (all 0 when nothing converts).
 * Journeys without channels carry no information about any channel and are left out. Channels come out in
 * code-unit order.
 */
export function markovModel(journeys: readonly ChannelJourney[]): MarkovResult {
  const chain = transitionCounts(journeys);
  const base = conversionProbability(chain, undefined);
  const removalEffects = chain.channels.map((_, removed) =>
    base > 0 ? clamp01(1 - conversionProbability(chain, removed) / base) : 0,
  );
  const weights = shareOfTotal(removalEffects);
  return {
    conversionProbability: base,
    channels: chain.channels.map((channel, index) => ({
      channel,
      removalEffect: removalEffects[index] ?? 0,
      weight: weights[index] ?? 0,
    })),
  };
}

type Chain = {
  channels: string[];
  fromStart: number[];
  /** `between[i][j]`: transitions from channel i to channel j. */
  between: number[][];
  toConversion: number[];
  /** Transitions out of each channel, to any state. */
  outOf: number[];
};

function transitionCounts(journeys: readonly ChannelJourney[]): Chain {
  const channels = [...new Set(journeys.flatMap((journey) => journey.channels))].sort(compareText);
  const indexOf = new Map(channels.map((channel, index) => [channel, index]));
  const zeros = () => channels.map(() => 0);
  const chain: Chain = {
    channels,
    fromStart: zeros(),
    between: channels.map(zeros),
    toConversion: zeros(),
    outOf: zeros(),
  };
  const add = (counts: number[], index: number) => (counts[index] = (counts[index] ?? 0) + 1);
  for (const journey of journeys) {
    const path = journey.channels.map((channel) => indexOf.get(channel) ?? 0);
    const [first] = path;
    if (first === undefined) continue;
    add(chain.fromStart, first);
    path.forEach((from, step) => {
      add(chain.outOf, from);
      const to = path[step + 1];
      if (to !== undefined) add(chain.between[from] ?? [], to);
      else if (journey.converted) add(chain.toConversion, from);
    });
  }
  return chain;
}

/**
 * P(conversion) from start, by solving `p_i = Σ_j T(i,j)·p_j + T(i, conversion)` for the channel states (an
 * absorbing chain: every channel seen leads on to conversion or null, so the system has one solution). A removed
 * channel converts with probability 0.
 */
function conversionProbability(chain: Chain, removed: number | undefined): number {
  const n = chain.channels.length;
  const starts = chain.fromStart.reduce((a, b) => a + b, 0);
  if (starts === 0) return 0;
  const matrix = chain.channels.map((_, i) =>
    chain.channels.map((_, j) => {
      if (i === removed) return i === j ? 1 : 0;
      const out = chain.outOf[i] ?? 1;
      return (i === j ? 1 : 0) - (chain.between[i]?.[j] ?? 0) / out;
    }),
  );
  const rhs = chain.channels.map((_, i) => (i === removed ? 0 : (chain.toConversion[i] ?? 0) / (chain.outOf[i] ?? 1)));
  const p = solveLinearSystem(matrix, rhs);
  let total = 0;
  for (let i = 0; i < n; i += 1) total += ((chain.fromStart[i] ?? 0) / starts) * (p[i] ?? 0);
  return total;
}

/** Gaussian elimination with partial pivoting; `matrix` must be non-singular. Changes its arguments. */
function solveLinearSystem(matrix: number[][], rhs: number[]): number[] {
  const n = rhs.length;
  const at = (row: number, column: number) => matrix[row]?.[column] ?? 0;
  for (let column = 0; column < n; column += 1) {
    let pivot = column;
    for (let row = column + 1; row < n; row += 1) {
      if (Math.abs(at(row, column)) > Math.abs(at(pivot, column))) pivot = row;
    }
    [matrix[column], matrix[pivot]] = [matrix[pivot] ?? [], matrix[column] ?? []];
    [rhs[column], rhs[pivot]] = [rhs[pivot] ?? 0, rhs[column] ?? 0];
    const pivotRow = matrix[column] ?? [];
    const pivotValue = pivotRow[column] ?? 1;
    for (let row = column + 1; row < n; row += 1) {
      const current = matrix[row] ?? [];
      const factor = (current[column] ?? 0) / pivotValue;
      if (factor === 0) continue;
      for (let k = column; k < n; k += 1) current[k] = (current[k] ?? 0) - factor * (pivotRow[k] ?? 0);
      rhs[row] = (rhs[row] ?? 0) - factor * (rhs[column] ?? 0);
    }
  }
  const solution = rhs.map(() => 0);
  for (let row = n - 1; row >= 0; row -= 1) {
    let value = rhs[row] ?? 0;
    for (let k = row + 1; k < n; k += 1) value -= at(row, k) * (solution[k] ?? 0);
    solution[row] = value / at(row, row);
  }
  return solution;
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
