import { z } from 'zod';
import { positiveCountSchema } from '../bounded-numbers.ts';
import { leadRefShape, scoreSchema } from './lead-lifecycle-parts.ts';
import { isoDateTime } from './lead-schema-parts.ts';

/** Data of `LeadQualified` version 1: the lead became marketing-qualified (MQL). */
export const leadQualifiedV1Schema = z
  .object({
    ...leadRefShape,
    qualifiedAt: isoDateTime,
    score: scoreSchema,
    threshold: scoreSchema.describe('The tenant’s MQL threshold the score reached.'),
    ruleSetVersion: positiveCountSchema,
  })
  .describe('The lead’s score reached the MQL threshold: it is marketing-qualified and ready for routing.');

export type LeadQualifiedV1 = z.output<typeof leadQualifiedV1Schema>;

export const leadQualifiedV1Example: LeadQualifiedV1 = {
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 'acme',
  qualifiedAt: '2025-04-03T08:15:03.000Z',
  score: 72,
  threshold: 60,
  ruleSetVersion: 3,
};
