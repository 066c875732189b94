import { z } from 'zod';
import { isoDateTime, text } from '../lead/lead-schema-parts.ts';
import { opportunityFieldsSchema } from './opportunity-schema-parts.ts';

/** Data of `OpportunityDetailsUpdated` version 1: fields of an open opportunity were set. */
export const opportunityDetailsUpdatedV1Schema = z
  .object({
    opportunityId: z.uuid(),
    tenantId: text(64),
    updatedAt: isoDateTime,
    fields: opportunityFieldsSchema
      .refine((fields) => Object.keys(fields).length > 0, { message: 'at least one field is required' })
      .meta({
        description:
          'Only the fields set by this update, each with its new value (null clears it); others keep theirs.',
        minProperties: 1,
      }),
  })
  .describe('Fields of an open opportunity were set, e.g. budgetConfirmed: true.');

export type OpportunityDetailsUpdatedV1 = z.output<typeof opportunityDetailsUpdatedV1Schema>;

export const opportunityDetailsUpdatedV1Example: OpportunityDetailsUpdatedV1 = {
  opportunityId: 'b5aa9e68-2b92-5c34-ab3d-6bae41a072f8',
  tenantId: 'acme',
  updatedAt: '2025-04-22T15:45:00.000Z',
  fields: { budgetConfirmed: true, decisionMaker: 'CFO' },
};
