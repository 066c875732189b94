import { z } from 'zod';
import { leadChannels } from '../lead/lead-captured.v1.ts';
import { isoDateTime, text } from '../lead/lead-schema-parts.ts';
import { moneyAmountSchema } from '../bounded-numbers.ts';
import { calendarDateSchema, currencySchema } from '../opportunity/opportunity-schema-parts.ts';

/**
 * Data of `CampaignCostRecorded` version 1: what a campaign cost on one day. It is the day's total, not an
 * increment: a later event for the same tenant, campaign and date replaces the earlier one.
 */
export const campaignCostRecordedV1Schema = z
  .object({
    tenantId: text(64),
    campaign: text(200).describe('As touches name it (touchpoint.campaign or utm.campaign).'),
    channel: z.enum(leadChannels).describe('The channel the money was spent on.'),
    date: calendarDateSchema.describe('The day the cost is for.'),
    amount: moneyAmountSchema.describe("The day's total, in major units of currency."),
    currency: currencySchema,
    recordedAt: isoDateTime,
  })
  .describe("A campaign's cost for one day; replaces an earlier one for the same campaign and day.");

export type CampaignCostRecordedV1 = z.output<typeof campaignCostRecordedV1Schema>;

export const campaignCostRecordedV1Example: CampaignCostRecordedV1 = {
  tenantId: 'acme',
  campaign: 'q2-analytics',
  channel: 'ad',
  date: '2025-04-02',
  amount: 1_250.5,
  currency: 'EUR',
  recordedAt: '2025-04-03T06:00:00.000Z',
};
