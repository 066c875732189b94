import { z } from 'zod';
import { isoDateTime, text } from '../lead/lead-schema-parts.ts';
import { calendarDateSchema } from './opportunity-schema-parts.ts';

/** Data of `OpportunityCloseDateChanged` version 1: the expected close date of an open opportunity changed. */
export const opportunityCloseDateChangedV1Schema = z
  .object({
    opportunityId: z.uuid(),
    tenantId: text(64),
    changedAt: isoDateTime,
    expectedCloseDate: calendarDateSchema,
    previousExpectedCloseDate: calendarDateSchema,
  })
  .describe('The expected close date of an open opportunity changed.');

export type OpportunityCloseDateChangedV1 = z.output<typeof opportunityCloseDateChangedV1Schema>;

export const opportunityCloseDateChangedV1Example: OpportunityCloseDateChangedV1 = {
  opportunityId: 'b5aa9e68-2b92-5c34-ab3d-6bae41a072f8',
  tenantId: 'acme',
  changedAt: '2025-04-25T09:14:00.000Z',
  expectedCloseDate: '2025-07-15',
  previousExpectedCloseDate: '2025-06-30',
};
