import { z } from 'zod';
import { leadChannels } from '../lead/lead-captured.v1.ts';
import { isoDateTime, text } from '../lead/lead-schema-parts.ts';
import { moneyAmountSchema, positiveCountSchema } from '../bounded-numbers.ts';
import { currencySchema } from '../opportunity/opportunity-schema-parts.ts';

/**
 * The attribution models a won deal is credited by. The rule-based ones read the deal's journey alone;
 * `markov` and `shapley` are learned from all journeys of the tenant, converting and not.
 * A new value is a breaking change: it needs a new event version.
 */
export const attributionModelNames = [
  'first_touch',
  'last_touch',
  'linear',
  'position_based',
  'w_shaped',
  'full_path',
  'time_decay',
  'markov',
  'shapley',
] as const;
export type AttributionModelName = (typeof attributionModelNames)[number];

/** Whole cents of a major-unit amount with at most two decimals. */
function centsOf(amount: number): number {
  return Math.round(amount * 100);
}

function sumOfCents(amounts: readonly { amount: number }[]): number {
  return amounts.reduce((sum, item) => sum + centsOf(item.amount), 0);
}

/** One touch of the deal's journey and the money it was credited with. */
export const attributionCreditSchema = z.object({
  touchId: text(200).describe('The id of the lead event the touch came from (LeadCaptured, LeadTouchRecorded…).'),
  occurredAt: isoDateTime,
  channel: z.enum(leadChannels),
  campaign: text(200).optional(),
  medium: text(200).optional(),
  weight: z.number().min(0).max(1).describe("The touch's share of the deal; the shares sum to 1."),
  amount: moneyAmountSchema.describe('The money credited to the touch, in major units of the deal currency.'),
});
export type AttributionCredit = z.output<typeof attributionCreditSchema>;

/** Data of `AttributionCalculated` version 1: one model's split of a won deal's amount over its touches. */
export const attributionCalculatedV1Schema = z
  .object({
    opportunityId: z.uuid(),
    leadId: z.uuid().describe('The converted lead whose touches (and those of leads merged into it) made the journey.'),
    tenantId: text(64),
    model: z.enum(attributionModelNames),
    calculatedAt: isoDateTime,
    wonAt: isoDateTime.describe('The win this attribution is for; a reopened and won again deal has a later one.'),
    amount: moneyAmountSchema.describe('The deal amount at the win.'),
    currency: currencySchema,
    credits: z
      .array(attributionCreditSchema)
      .min(1)
      .describe('One per touch, in journey order (by time, then touch id).'),
    byChannel: z
      .array(z.object({ channel: z.enum(leadChannels), amount: moneyAmountSchema }))
      .describe('Credits totalled per channel, in order of first appearance.'),
    byCampaign: z
      .array(
        z.object({
          campaign: text(200).nullable().describe('null totals the touches without a campaign.'),
          amount: moneyAmountSchema,
        }),
      )
      .describe('Credits totalled per campaign, in order of first appearance.'),
    config: z
      .record(text(64), z.unknown())
      .describe(
        'The model parameters used: the shares of a position-based model, the half-life of time decay, ' +
          'the learned channel weights (and when they were computed) of a data-driven model.',
      ),
    fellBackToLinear: z
      .boolean()
      .describe('A data-driven model had no learned weight for a channel of this journey, so it split evenly.'),
    revision: positiveCountSchema.describe(
      'Per opportunity and model: 1 at the first win, one more for each later version (a recalculation of ' +
        'the learned weights that changed the credits, or a new win after a reopening). The highest is current.',
    ),
  })
  .refine((data) => sumOfCents(data.credits) === centsOf(data.amount), {
    message: 'the credits must add up to the amount',
    path: ['credits'],
  })
  .refine((data) => sumOfCents(data.byChannel) === centsOf(data.amount), {
    message: 'the channel totals must add up to the amount',
    path: ['byChannel'],
  })
  .refine((data) => sumOfCents(data.byCampaign) === centsOf(data.amount), {
    message: 'the campaign totals must add up to the amount',
    path: ['byCampaign'],
  })
  .describe("One attribution model's split of a won deal's amount over the touches that led to it.");

export type AttributionCalculatedV1 = z.output<typeof attributionCalculatedV1Schema>;

export const attributionCalculatedV1Example: AttributionCalculatedV1 = {
  opportunityId: 'b5aa9e68-2b92-5c34-ab3d-6bae41a072f8',
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 'acme',
  model: 'position_based',
  calculatedAt: '2025-06-27T16:20:01.000Z',
  wonAt: '2025-06-27T16:20:00.000Z',
  amount: 51_000,
  currency: 'EUR',
  credits: [
    {
      touchId: '6c1f0a2b-3d4e-4f5a-8b6c-7d8e9f0a1b2c',
      occurredAt: '2025-03-14T09:26:41.000Z',
      channel: 'web_form',
      campaign: 'spring-webinar',
      medium: 'cpc',
      weight: 0.4,
      amount: 20_400,
    },
    {
      touchId: '7d2a1b3c-4e5f-4a6b-9c7d-8e9f0a1b2c3d',
      occurredAt: '2025-04-02T14:04:58.000Z',
      channel: 'ad',
      campaign: 'q2-analytics',
      medium: 'paid_social',
      weight: 0.2,
      amount: 10_200,
    },
    {
      touchId: '8e3b2c4d-5f6a-4b7c-8d8e-9f0a1b2c3d4e',
      occurredAt: '2025-04-07T13:50:00.000Z',
      channel: 'event',
      weight: 0.4,
      amount: 20_400,
    },
  ],
  byChannel: [
    { channel: 'web_form', amount: 20_400 },
    { channel: 'ad', amount: 10_200 },
    { channel: 'event', amount: 20_400 },
  ],
  byCampaign: [
    { campaign: 'spring-webinar', amount: 20_400 },
    { campaign: 'q2-analytics', amount: 10_200 },
    { campaign: null, amount: 20_400 },
  ],
  config: { first: 40, middle: 20, last: 40 },
  fellBackToLinear: false,
  revision: 1,
};
