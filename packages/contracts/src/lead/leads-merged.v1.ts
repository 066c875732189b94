import { z } from 'zod';
import { leadCaptureIdSchema } from './lead-captured.v1.ts';
import { isoDateTime, text } from './lead-schema-parts.ts';

/** Which side of a merge a lead's stream records. */
export const leadMergeRoles = ['survivor', 'merged'] as const;
export type LeadMergeRole = (typeof leadMergeRoles)[number];

/**
 * Data of `LeadsMerged` version 1: two leads of one person became one. It is appended to both
 * streams in one transaction; `leadId` is the stream's own lead, `role` says which side it is.
 */
export const leadsMergedV1Schema = z
  .object({
    leadId: z.uuid().describe('The lead whose stream holds this event: the survivor or the merged lead, by role.'),
    tenantId: text(64),
    survivorLeadId: z.uuid().describe('The lead that lives on and absorbs the other.'),
    mergedLeadId: z.uuid().describe('The lead that ends; its later captures go to the survivor.'),
    role: z.enum(leadMergeRoles),
    mergedAt: isoDateTime,
    reason: text(500).optional(),
    absorbedCaptureIds: z
      .array(leadCaptureIdSchema)
      .describe(
        'On the survivor: the capture ids the merged lead had applied, so a retried capture of it stays a duplicate.',
      )
      .optional(),
  })
  .refine((merge) => merge.survivorLeadId !== merge.mergedLeadId, {
    message: 'a lead cannot be merged into itself',
    path: ['mergedLeadId'],
  })
  .refine((merge) => merge.leadId === (merge.role === 'survivor' ? merge.survivorLeadId : merge.mergedLeadId), {
    message: 'leadId must be the survivor for role survivor and the merged lead for role merged',
    path: ['leadId'],
  })
  .describe('Two leads of one person became one.');

export type LeadsMergedV1 = z.output<typeof leadsMergedV1Schema>;

export const leadsMergedV1Example: LeadsMergedV1 = {
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 'acme',
  survivorLeadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  mergedLeadId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  role: 'survivor',
  mergedAt: '2025-04-05T10:00:00.000Z',
  reason: 'same person: work and personal email',
  absorbedCaptureIds: ['csv:3b9f0c1e7a2d'],
};
