import { z } from 'zod';
import { leadRefShape, repIdSchema } from './lead-lifecycle-parts.ts';
import { isoDateTime, text } from './lead-schema-parts.ts';

// The owner's own actions on a lead. Accepting or contacting stops the first-response SLA.

/** Data of `LeadAccepted` version 1: the owner took the lead on. */
export const leadAcceptedV1Schema = z
  .object({ ...leadRefShape, ownerId: repIdSchema, acceptedAt: isoDateTime })
  .describe('The owner accepted the lead; the first-response SLA is met.');
export type LeadAcceptedV1 = z.output<typeof leadAcceptedV1Schema>;
export const leadAcceptedV1Example: LeadAcceptedV1 = {
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 'acme',
  ownerId: 'rep-ines',
  acceptedAt: '2025-04-03T08:40:00.000Z',
};

/** How a rep reached the person. */
export const leadContactMethods = ['call', 'email', 'meeting', 'message', 'other'] as const;
export type LeadContactMethod = (typeof leadContactMethods)[number];

/** Data of `LeadContacted` version 1: the owner reached out to the person. */
export const leadContactedV1Schema = z
  .object({
    ...leadRefShape,
    ownerId: repIdSchema,
    contactedAt: isoDateTime,
    method: z.enum(leadContactMethods),
    note: text(2000).optional(),
  })
  .describe('The owner contacted the person; the first contact meets the first-response SLA.');
export type LeadContactedV1 = z.output<typeof leadContactedV1Schema>;
export const leadContactedV1Example: LeadContactedV1 = {
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 'acme',
  ownerId: 'rep-ines',
  contactedAt: '2025-04-03T09:02:00.000Z',
  method: 'call',
  note: 'Evaluating in Q3; budget owner is the CFO.',
};

/** Data of `LeadRejected` version 1: the owner handed the lead back. */
export const leadRejectedV1Schema = z
  .object({ ...leadRefShape, ownerId: repIdSchema, rejectedAt: isoDateTime, reason: text(500) })
  .describe('The owner gave the lead back with a reason; routing assigns it to another rep.');
export type LeadRejectedV1 = z.output<typeof leadRejectedV1Schema>;
export const leadRejectedV1Example: LeadRejectedV1 = {
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 'acme',
  ownerId: 'rep-ines',
  rejectedAt: '2025-04-03T08:30:00.000Z',
  reason: 'Existing customer of the partner channel',
};

/** Data of `LeadDisqualified` version 1: the lead will not be worked further. */
export const leadDisqualifiedV1Schema = z
  .object({ ...leadRefShape, disqualifiedAt: isoDateTime, by: repIdSchema, reason: text(500) })
  .describe('The lead was disqualified with a reason; it ends here.');
export type LeadDisqualifiedV1 = z.output<typeof leadDisqualifiedV1Schema>;
export const leadDisqualifiedV1Example: LeadDisqualifiedV1 = {
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 'acme',
  disqualifiedAt: '2025-04-04T11:00:00.000Z',
  by: 'rep-ines',
  reason: 'Student project, no budget',
};
