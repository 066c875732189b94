import { z } from 'zod';
import { isoDateTime, text } from '../lead/lead-schema-parts.ts';
import { opportunityStageSchema } from './opportunity-schema-parts.ts';

/** Data of `OpportunityLost` version 1: the deal was lost, for a reason from the tenant's list. */
export const opportunityLostV1Schema = z
  .object({
    opportunityId: z.uuid(),
    tenantId: text(64),
    lostAt: isoDateTime,
    reason: text(200).describe("One of the tenant's lost reasons, e.g. price."),
    competitor: text(200).describe('Who won the deal instead, when known.').optional(),
    stage: opportunityStageSchema.describe('The stage the opportunity was lost from.'),
  })
  .describe("The deal was lost, for one of the tenant's reasons.");

export type OpportunityLostV1 = z.output<typeof opportunityLostV1Schema>;

export const opportunityLostV1Example: OpportunityLostV1 = {
  opportunityId: 'b5aa9e68-2b92-5c34-ab3d-6bae41a072f8',
  tenantId: 'acme',
  lostAt: '2025-06-27T16:20:00.000Z',
  reason: 'price',
  competitor: 'Difference Engines plc',
  stage: { id: 'proposal', name: 'Proposal', probability: 50, forecastCategory: 'best_case', position: 2 },
};
