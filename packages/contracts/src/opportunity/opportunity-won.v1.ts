import { z } from 'zod';
import { isoDateTime, text } from '../lead/lead-schema-parts.ts';
import { moneyAmountSchema } from '../bounded-numbers.ts';
import { currencySchema, opportunityStageSchema } from './opportunity-schema-parts.ts';

/** Data of `OpportunityWon` version 1: the deal was won, at its final amount. */
export const opportunityWonV1Schema = z
  .object({
    opportunityId: z.uuid(),
    tenantId: text(64),
    wonAt: isoDateTime,
    amount: moneyAmountSchema.describe('The final amount of the deal, which revenue reports use.'),
    currency: currencySchema,
    stage: opportunityStageSchema.describe('The stage the opportunity was won from.'),
  })
  .describe('The deal was won at its final amount.');

export type OpportunityWonV1 = z.output<typeof opportunityWonV1Schema>;

export const opportunityWonV1Example: OpportunityWonV1 = {
  opportunityId: 'b5aa9e68-2b92-5c34-ab3d-6bae41a072f8',
  tenantId: 'acme',
  wonAt: '2025-06-27T16:20:00.000Z',
  amount: 51_000,
  currency: 'EUR',
  stage: { id: 'negotiation', name: 'Negotiation', probability: 75, forecastCategory: 'commit', position: 3 },
};
