import { z } from 'zod';
import { leadRefShape, repIdSchema } from './lead-lifecycle-parts.ts';
import { isoDateTime, text } from './lead-schema-parts.ts';

/** Data of `LeadSalesQualified` version 1: the owner judged the lead sales-qualified (SQL). */
export const leadSalesQualifiedV1Schema = z
  .object({ ...leadRefShape, qualifiedAt: isoDateTime, by: repIdSchema, notes: text(2000).optional() })
  .describe('A rep qualified the lead as sales-qualified (SQL); it can be converted to an opportunity.');
export type LeadSalesQualifiedV1 = z.output<typeof leadSalesQualifiedV1Schema>;
export const leadSalesQualifiedV1Example: LeadSalesQualifiedV1 = {
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 'acme',
  qualifiedAt: '2025-04-07T14:00:00.000Z',
  by: 'rep-ines',
  notes: 'Budget confirmed for Q3, CFO involved',
};

/** Data of `LeadConverted` version 1: the lead became an opportunity. */
export const leadConvertedV1Schema = z
  .object({
    ...leadRefShape,
    convertedAt: isoDateTime,
    opportunityId: z.uuid().describe('Derived from the lead id, so a lead can open only one opportunity.'),
    by: repIdSchema,
  })
  .describe('The lead was converted; OpportunityOpened follows on the opportunity’s stream in the same transaction.');
export type LeadConvertedV1 = z.output<typeof leadConvertedV1Schema>;
export const leadConvertedV1Example: LeadConvertedV1 = {
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 'acme',
  convertedAt: '2025-04-07T14:05:00.000Z',
  opportunityId: 'b5aa9e68-2b92-5c34-ab3d-6bae41a072f8',
  by: 'rep-ines',
};
