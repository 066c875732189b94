import type { AttributionConfig } from './attribution-config.schema.ts';
import { isDataDriven } from './attribution-model.ts';
import type { AttributionModel } from './attribution-model.ts';
import type { ChannelWeight } from './channel-journey.ts';
import { allocate } from './money.ts';
import { linearWeights, ruleBasedWeights } from './rule-based-models.ts';
import { sortJourney, timeOf } from './touchpoint.ts';
import type { Journey, Touchpoint } from './touchpoint.ts';

export type AttributeInput = {
  model: AttributionModel;
  /** The deal's touches in any order; at least one. */
  journey: readonly Touchpoint[];
  /** The deal amount in integer minor units of `currency` (cents for EUR, yen for JPY). */
  amountCents: number;
  currency: string;
  /** ISO 8601 date-time the deal was won. */
  convertedAt: string;
  config: AttributionConfig;
  /** For `markov` and `shapley`: the channel weights learned from all journeys (see `dataDrivenWeights`). */
  dataDriven?: readonly ChannelWeight[];
};

export type TouchCredit = { touchId: string; channel: string; campaign?: string; weight: number; amountCents: number };

export type Attribution = {
  model: AttributionModel;
  currency: string;
  amountCents: number;
  /** A data-driven model had no weight for some channel of this journey, so the deal was split evenly. */
  fellBackToLinear: boolean;
  /** One per touch, in journey order; `weight` is the touch's share (the shares sum to 1). */
  credits: TouchCredit[];
  /** Channels in the order they first appear in the journey. */
  byChannel: { channel: string; amountCents: number }[];
  /** Campaigns in the order they first appear; `null` collects the touches without a campaign. */
  byCampaign: { campaign: string | null; amountCents: number }[];
};

/**
 * Splits a won deal's amount over its touches by one model. Every credit is a whole number of minor units, none
 * is negative, and the credits (and the channel and campaign totals) add up exactly to the amount. The result
 * depends only on the input values, not on the order of the touches.
 */
export function attribute(input: AttributeInput): Attribution {
  const { model, amountCents, currency, convertedAt, config } = input;
  if (input.journey.length === 0) throw new RangeError('a journey needs at least one touch');
  timeOf(convertedAt, 'convertedAt');
  const journey = sortJourney(input.journey);

  const learned = isDataDriven(model) ? dataDrivenTouchWeights(journey, input.dataDriven ?? []) : undefined;
  const fellBackToLinear = isDataDriven(model) && learned === undefined;
  const weights = isDataDriven(model)
    ? (learned ?? linearWeights(journey))
    : ruleBasedWeights(model, { journey, config, convertedAt });
  const amounts = allocate(amountCents, weights);

  const credits = journey.map((touch, index) => ({
    touchId: touch.id,
    channel: touch.channel,
    ...(touch.campaign === undefined ? {} : { campaign: touch.campaign }),
    weight: weights[index] ?? 0,
    amountCents: amounts[index] ?? 0,
  }));
  return {
    model,
    currency,
    amountCents,
    fellBackToLinear,
    credits,
    byChannel: totalsBy(credits, (credit) => credit.channel).map(([channel, cents]) => ({
      channel,
      amountCents: cents,
    })),
    byCampaign: totalsBy(credits, (credit) => credit.campaign ?? null).map(([campaign, cents]) => ({
      campaign,
      amountCents: cents,
    })),
  };
}

/**
 * A channel's weight, restricted to this journey's channels and scaled up, split evenly over that channel's
 * touches. Undefined (so the caller splits evenly) when a channel of the journey has no learned weight, or
 * when the journey's channels have none above zero.
 */
function dataDrivenTouchWeights(journey: Journey, channelWeights: readonly ChannelWeight[]): number[] | undefined {
  const weightOf = new Map<string, number>();
  for (const { channel, weight } of channelWeights) {
    if (weightOf.has(channel)) throw new RangeError(`channel ${channel} has two learned weights`);
    if (!Number.isFinite(weight) || weight < 0) throw new RangeError(`channel ${channel} has weight ${weight}`);
    weightOf.set(channel, weight);
  }
  if (journey.some((touch) => !weightOf.has(touch.channel))) return undefined;

  const touchesOf = new Map<string, number>();
  for (const touch of journey) touchesOf.set(touch.channel, (touchesOf.get(touch.channel) ?? 0) + 1);
  const raw = journey.map((touch) => (weightOf.get(touch.channel) ?? 0) / (touchesOf.get(touch.channel) ?? 1));
  const sum = raw.reduce((a, b) => a + b, 0);
  return sum > 0 ? raw.map((weight) => weight / sum) : undefined;
}

/** Sums of `amountCents` per key, keys in order of first appearance. */
function totalsBy<K>(credits: readonly TouchCredit[], keyOf: (credit: TouchCredit) => K): [K, number][] {
  const totals = new Map<K, number>();
  for (const credit of credits) totals.set(keyOf(credit), (totals.get(keyOf(credit)) ?? 0) + credit.amountCents);
  return [...totals];
}
