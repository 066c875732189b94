import type { AttributionConfig } from './attribution-config.schema.ts';
import type { RuleBasedModel } from './attribution-model.ts';
import { timeOf } from './touchpoint.ts';
import type { Journey, Milestone } from './touchpoint.ts';

const dayMs = 86_400_000;

/** What a rule-based model reads: one deal's journey in journey order, the tenant's settings, the win time. */
export type WeightsInput = { journey: Journey; config: AttributionConfig; convertedAt: string };

/** One weight per touch, in journey order, summing to 1 (to float precision). */
export function ruleBasedWeights(model: RuleBasedModel, input: WeightsInput): number[] {
  const { journey, config, convertedAt } = input;
  switch (model) {
    case 'first_touch':
      return firstTouchWeights(journey);
    case 'last_touch':
      return lastTouchWeights(journey);
    case 'linear':
      return linearWeights(journey);
    case 'position_based':
      return positionBasedWeights(journey, config.positionBased);
    case 'w_shaped':
      return wShapedWeights(journey, config.wShaped);
    case 'full_path':
      return fullPathWeights(journey, config.fullPath);
    case 'time_decay':
      return timeDecayWeights(journey, { halfLifeDays: config.timeDecay.halfLifeDays, convertedAt });
    default: {
      const unknown: never = model;
      throw new RangeError(`unknown model ${String(unknown)}`);
    }
  }
}

export function firstTouchWeights(journey: Journey): number[] {
  return journey.map((_, index) => (index === 0 ? 1 : 0));
}

export function lastTouchWeights(journey: Journey): number[] {
  return journey.map((_, index) => (index === journey.length - 1 ? 1 : 0));
}

export function linearWeights(journey: Journey): number[] {
  return journey.map(() => 1 / journey.length);
}

/** U-shaped: the first and the last touch hold positions, the touches between share `middle`. */
export function positionBasedWeights(journey: Journey, shares: AttributionConfig['positionBased']): number[] {
  const slots = [
    { index: 0, share: shares.first },
    { index: journey.length - 1, share: shares.last },
  ];
  return positionalWeights(journey, slots, shares.middle);
}

/** W-shaped: first touch, lead creation and opportunity creation hold positions, the other touches share `rest`. */
export function wShapedWeights(journey: Journey, shares: AttributionConfig['wShaped']): number[] {
  const last = journey.length - 1;
  const slots = [
    { index: 0, share: shares.firstTouch },
    { index: milestoneIndex(journey, 'lead_created', 0), share: shares.leadCreated },
    { index: milestoneIndex(journey, 'opportunity_created', last), share: shares.opportunityCreated },
  ];
  return positionalWeights(journey, slots, shares.rest);
}

/** Full path (Z-shaped): W-shaped plus the closed-won touch as a fourth position. */
export function fullPathWeights(journey: Journey, shares: AttributionConfig['fullPath']): number[] {
  const last = journey.length - 1;
  const slots = [
    { index: 0, share: shares.firstTouch },
    { index: milestoneIndex(journey, 'lead_created', 0), share: shares.leadCreated },
    { index: milestoneIndex(journey, 'opportunity_created', last), share: shares.opportunityCreated },
    { index: milestoneIndex(journey, 'closed_won', last), share: shares.closedWon },
  ];
  return positionalWeights(journey, slots, shares.rest);
}

/**
 * A touch's weight halves every `halfLifeDays` before the conversion. A touch at or after the conversion counts
 * as age zero. Weights are taken relative to the youngest touch, so that old journeys do not underflow to zero.
 */
export function timeDecayWeights(journey: Journey, options: { halfLifeDays: number; convertedAt: string }): number[] {
  const convertedAt = timeOf(options.convertedAt, 'convertedAt');
  const ages = journey.map((touch) => Math.max(0, convertedAt - timeOf(touch.occurredAt, `touch ${touch.id}`)));
  const youngest = Math.min(...ages);
  const halfLifeMs = options.halfLifeDays * dayMs;
  return normalised(ages.map((age) => 2 ** (-(age - youngest) / halfLifeMs)));
}

/**
 * Each slot adds its share to its touch (coinciding positions add up); `restShare` is split evenly over the
 * touches that hold no slot. When there are none, the rest share goes to no one and the positions are scaled up
 * in proportion, so U-shaped gives two touches 50/50 and one touch 100%.
 */
function positionalWeights(
  journey: Journey,
  slots: readonly { index: number; share: number }[],
  restShare: number,
): number[] {
  if (journey.length === 0) return [];
  const weights = journey.map(() => 0);
  for (const { index, share } of slots) weights[index] = (weights[index] ?? 0) + share;
  const held = new Set(slots.map((slot) => slot.index));
  const rest = journey.flatMap((_, index) => (held.has(index) ? [] : [index]));
  for (const index of rest) weights[index] = (weights[index] ?? 0) + restShare / rest.length;
  return normalised(weights);
}

/** The first touch carrying `milestone`, or `fallback` when no touch does. */
function milestoneIndex(journey: Journey, milestone: Milestone, fallback: number): number {
  const index = journey.findIndex((touch) => touch.milestones.includes(milestone));
  return index === -1 ? fallback : index;
}

/** Scales to a sum of 1; all-zero weights (only a zero share configured can cause it) become an even split. */
function normalised(weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  return sum > 0 ? weights.map((weight) => weight / sum) : weights.map(() => 1 / weights.length);
}
