import type { AttributionCalculatedV1, LeadChannel } from '@l2o/contracts';
import type { LearnedWeights } from '../data-driven/learned-weights.ts';
import { attribute, isDataDriven } from '../models/index.ts';
import type { Attribution, AttributionConfig, AttributionModel, DataDrivenModel, Touchpoint } from '../models/index.ts';

/** An `AttributionCalculated` before the attribution stream gives it its revision. */
export type AttributionDraft = Omit<AttributionCalculatedV1, 'revision'>;

/** The won deal being attributed. */
export type WonDeal = {
  opportunityId: string;
  leadId: string;
  tenantId: string;
  /** ISO 8601. */
  wonAt: string;
  amountCents: number;
  currency: string;
};

/**
 * One draft per model: the deal's amount split over its journey by each model, with the parameters each
 * used. A data-driven model without learned weights splits evenly and says so (`fellBackToLinear`).
 */
export function dealAttributions(options: {
  deal: WonDeal;
  journey: readonly Touchpoint[];
  models: readonly AttributionModel[];
  config: AttributionConfig;
  learned: ReadonlyMap<DataDrivenModel, LearnedWeights>;
  calculatedAt: Date;
}): AttributionDraft[] {
  const { deal, journey, config, learned } = options;
  return options.models.map((model) => {
    const weights = isDataDriven(model) ? learned.get(model) : undefined;
    const attribution = attribute({
      model,
      journey,
      amountCents: deal.amountCents,
      currency: deal.currency,
      convertedAt: deal.wonAt,
      config,
      ...(weights === undefined ? {} : { dataDriven: weights.weights }),
    });
    return toDraft({
      attribution,
      deal,
      journey,
      calculatedAt: options.calculatedAt,
      parameters: modelParameters(model, config, weights),
    });
  });
}

/** The parameters a model was run with, as the event's `config` shows them. */
export function modelParameters(
  model: AttributionModel,
  config: AttributionConfig,
  learned: LearnedWeights | undefined,
): Record<string, unknown> {
  const learnedPart =
    learned === undefined
      ? { channelWeights: [] }
      : { channelWeights: learned.weights, weightsComputedAt: learned.computedAt, journeys: learned.journeys };
  switch (model) {
    case 'first_touch':
    case 'last_touch':
    case 'linear':
      return {};
    case 'position_based':
      return { ...config.positionBased };
    case 'w_shaped':
      return { ...config.wShaped };
    case 'full_path':
      return { ...config.fullPath };
    case 'time_decay':
      return { ...config.timeDecay };
    case 'markov':
      return learnedPart;
    case 'shapley':
      return { ...config.shapley, ...learnedPart };
  }
}

function toDraft(options: {
  attribution: Attribution;
  deal: WonDeal;
  journey: readonly Touchpoint[];
  calculatedAt: Date;
  parameters: Record<string, unknown>;
}): AttributionDraft {
  const { attribution, deal } = options;
  const touches = new Map(options.journey.map((touch) => [touch.id, touch]));
  return {
    opportunityId: deal.opportunityId,
    leadId: deal.leadId,
    tenantId: deal.tenantId,
    model: attribution.model,
    calculatedAt: options.calculatedAt.toISOString(),
    wonAt: deal.wonAt,
    amount: majorUnits(attribution.amountCents),
    currency: attribution.currency,
    credits: attribution.credits.map((credit) => {
      const touch = touches.get(credit.touchId);
      return {
        touchId: credit.touchId,
        occurredAt: touch?.occurredAt ?? deal.wonAt,
        // Touches come from lead events, whose channels are the platform's lead channels.
        channel: credit.channel as LeadChannel,
        ...(credit.campaign === undefined ? {} : { campaign: credit.campaign }),
        ...(touch?.medium === undefined ? {} : { medium: touch.medium }),
        weight: Math.min(1, Math.max(0, credit.weight)),
        amount: majorUnits(credit.amountCents),
      };
    }),
    byChannel: attribution.byChannel.map(({ channel, amountCents }) => ({
      channel: channel as LeadChannel,
      amount: majorUnits(amountCents),
    })),
    byCampaign: attribution.byCampaign.map(({ campaign, amountCents }) => ({
      campaign,
      amount: majorUnits(amountCents),
    })),
    config: options.parameters,
    fellBackToLinear: attribution.fellBackToLinear,
  };
}

/** Cents as major units: the nearest double to the two-decimal amount, which the contract's check reads back exactly. */
export function majorUnits(cents: number): number {
  return cents / 100;
}
