import { z } from 'zod';
import { leadCaptureIdSchema, leadTouchpointSchema } from './lead-captured.v1.ts';
import { isoDateTime, text } from './lead-schema-parts.ts';

/**
 * What tied a capture to an existing lead: the identity key that matched (`email`, `phone`,
 * `external_id`, `domain_and_name`) or the lead id the caller named (`lead_id`).
 * A new value is a breaking change: it needs a new event version.
 */
export const leadMatchKinds = ['email', 'phone', 'external_id', 'domain_and_name', 'lead_id'] as const;
export type LeadMatchKind = (typeof leadMatchKinds)[number];

/** Data of `LeadTouchRecorded` version 1: a known lead came in again through a channel. */
export const leadTouchRecordedV1Schema = z
  .object({
    leadId: z.uuid(),
    tenantId: text(64),
    recordedAt: isoDateTime,
    touchpoint: leadTouchpointSchema.describe('The interaction of this capture; a later touch for attribution.'),
    matchedBy: z.enum(leadMatchKinds).describe('What tied the capture to this lead.'),
    captureId: leadCaptureIdSchema.optional(),
  })
  .describe('A known lead came in again through a channel.');

export type LeadTouchRecordedV1 = z.output<typeof leadTouchRecordedV1Schema>;

export const leadTouchRecordedV1Example: LeadTouchRecordedV1 = {
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 'acme',
  recordedAt: '2025-04-02T14:05:12.000Z',
  touchpoint: {
    channel: 'ad',
    source: 'linkedin',
    campaign: 'q2-analytics',
    medium: 'paid_social',
    utm: { source: 'linkedin', medium: 'paid_social', campaign: 'q2-analytics' },
    occurredAt: '2025-04-02T14:04:58.000Z',
  },
  matchedBy: 'email',
  captureId: '7d3f1a9e-2c4b-4e6d-8f0a-1b2c3d4e5f60',
};
