import { z } from 'zod';
import { durationDaysSchema } from '../bounded-numbers.ts';
import { isoDateTime, text } from '../lead/lead-schema-parts.ts';
import { opportunityStageSchema } from './opportunity-schema-parts.ts';

/** Data of `OpportunityStalled` version 1: an open opportunity stayed in a stage longer than its SLA. */
export const opportunityStalledV1Schema = z
  .object({
    opportunityId: z.uuid(),
    tenantId: text(64),
    stalledAt: isoDateTime,
    stage: opportunityStageSchema.describe('The stage it stalled in; it is still there.'),
    enteredStageAt: isoDateTime.describe('When it entered the stage; published at most once per stage entry.'),
    slaDays: durationDaysSchema.describe("The stage's SLA in days at the time."),
  })
  .describe('An open opportunity stayed in a stage longer than the stage SLA.');

export type OpportunityStalledV1 = z.output<typeof opportunityStalledV1Schema>;

export const opportunityStalledV1Example: OpportunityStalledV1 = {
  opportunityId: 'b5aa9e68-2b92-5c34-ab3d-6bae41a072f8',
  tenantId: 'acme',
  stalledAt: '2025-05-08T10:00:00.000Z',
  stage: { id: 'proposal', name: 'Proposal', probability: 50, forecastCategory: 'best_case', position: 2 },
  enteredStageAt: '2025-04-24T10:00:00.000Z',
  slaDays: 14,
};
