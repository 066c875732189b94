import { z } from 'zod';
import { isoDateTime, text } from '../lead/lead-schema-parts.ts';
import { opportunityStageSchema } from './opportunity-schema-parts.ts';

/** How a closed opportunity had ended. */
export const opportunityOutcomes = ['won', 'lost'] as const;
export type OpportunityOutcome = (typeof opportunityOutcomes)[number];

/** Data of `OpportunityReopened` version 1: a won or lost opportunity is open again. */
export const opportunityReopenedV1Schema = z
  .object({
    opportunityId: z.uuid(),
    tenantId: text(64),
    reopenedAt: isoDateTime.describe('When the opportunity entered stage; its stage SLA counts from here.'),
    stage: opportunityStageSchema.describe('The stage it was reopened into.'),
    previousOutcome: z.enum(opportunityOutcomes).describe('How it had ended; revenue reports undo that outcome.'),
  })
  .describe('A won or lost opportunity is open again, in the given stage.');

export type OpportunityReopenedV1 = z.output<typeof opportunityReopenedV1Schema>;

export const opportunityReopenedV1Example: OpportunityReopenedV1 = {
  opportunityId: 'b5aa9e68-2b92-5c34-ab3d-6bae41a072f8',
  tenantId: 'acme',
  reopenedAt: '2025-07-08T08:30:00.000Z',
  stage: { id: 'negotiation', name: 'Negotiation', probability: 75, forecastCategory: 'commit', position: 3 },
  previousOutcome: 'lost',
};
