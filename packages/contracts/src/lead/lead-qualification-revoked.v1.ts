import { z } from 'zod';
import { leadRefShape, scoreSchema } from './lead-lifecycle-parts.ts';
import { isoDateTime } from './lead-schema-parts.ts';

/** Data of `LeadQualificationRevoked` version 1: an MQL fell below the tenant's revocation level. */
export const leadQualificationRevokedV1Schema = z
  .object({
    ...leadRefShape,
    revokedAt: isoDateTime,
    score: scoreSchema,
    revokeBelow: scoreSchema.describe('The tenant’s level under which an MQL is no longer qualified.'),
  })
  .describe(
    'The lead is no longer marketing-qualified. Only tenants whose policy sets a revocation level get it; ' +
      'otherwise a falling score never un-qualifies a lead.',
  );

export type LeadQualificationRevokedV1 = z.output<typeof leadQualificationRevokedV1Schema>;

export const leadQualificationRevokedV1Example: LeadQualificationRevokedV1 = {
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 'acme',
  revokedAt: '2025-05-20T02:00:00.000Z',
  score: 38,
  revokeBelow: 40,
};
