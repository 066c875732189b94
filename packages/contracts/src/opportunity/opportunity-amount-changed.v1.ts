import { z } from 'zod';
import { isoDateTime, text } from '../lead/lead-schema-parts.ts';
import { moneyAmountSchema } from '../bounded-numbers.ts';
import { currencySchema } from './opportunity-schema-parts.ts';

/** Data of `OpportunityAmountChanged` version 1: the expected amount of an open opportunity changed. */
export const opportunityAmountChangedV1Schema = z
  .object({
    opportunityId: z.uuid(),
    tenantId: text(64),
    changedAt: isoDateTime,
    amount: moneyAmountSchema,
    previousAmount: moneyAmountSchema,
    currency: currencySchema.describe('The currency of both amounts, fixed when the opportunity opened.'),
  })
  .describe('The expected amount of an open opportunity changed.');

export type OpportunityAmountChangedV1 = z.output<typeof opportunityAmountChangedV1Schema>;

export const opportunityAmountChangedV1Example: OpportunityAmountChangedV1 = {
  opportunityId: 'b5aa9e68-2b92-5c34-ab3d-6bae41a072f8',
  tenantId: 'acme',
  changedAt: '2025-04-25T09:12:00.000Z',
  amount: 52_500.5,
  previousAmount: 48_000,
  currency: 'EUR',
};
