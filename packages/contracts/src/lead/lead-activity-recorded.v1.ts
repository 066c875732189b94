import { z } from 'zod';
import { refuseUnstorableText } from '../storable-text.ts';
import { leadCaptureIdSchema, leadChannels, leadScalarSchema } from './lead-captured.v1.ts';
import { isoDateTime, text } from './lead-schema-parts.ts';

/** Behaviours recorded on a lead. A new value is a breaking change: it needs a new event version. */
export const leadActivityTypes = [
  'page_view',
  'pricing_page_view',
  'content_download',
  'email_open',
  'email_click',
  'webinar_attended',
  'demo_requested',
] as const;
export type LeadActivityType = (typeof leadActivityTypes)[number];

/** One behaviour of a person, as scoring and attribution read it. */
export const leadActivitySchema = z
  .object({
    type: z.enum(leadActivityTypes),
    occurredAt: isoDateTime.describe('When the person acted, which may precede recordedAt.'),
    campaign: text(200).optional(),
    channel: z.enum(leadChannels).optional(),
    url: z.httpUrl().max(2048).check(refuseUnstorableText).describe('The page, asset or link involved.').optional(),
    title: text(500).describe('Title of the page, asset, email or webinar.').optional(),
    details: z
      .record(text(64), leadScalarSchema)
      .describe('Flat activity-specific fields; values are scalars.')
      .optional(),
  })
  .describe('What the person did.');
export type LeadActivity = z.output<typeof leadActivitySchema>;

/** Data of `LeadActivityRecorded` version 1: a behaviour of a known lead. */
export const leadActivityRecordedV1Schema = z
  .object({
    leadId: z.uuid(),
    tenantId: text(64),
    recordedAt: isoDateTime,
    activity: leadActivitySchema,
    captureId: leadCaptureIdSchema.optional(),
  })
  .describe('A behaviour of a known lead was recorded.');

export type LeadActivityRecordedV1 = z.output<typeof leadActivityRecordedV1Schema>;

export const leadActivityRecordedV1Example: LeadActivityRecordedV1 = {
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 'acme',
  recordedAt: '2025-04-03T08:15:02.000Z',
  activity: {
    type: 'pricing_page_view',
    occurredAt: '2025-04-03T08:14:47.000Z',
    campaign: 'q2-analytics',
    channel: 'web_form',
    url: 'https://example.com/pricing',
    title: 'Pricing',
    details: { plan: 'enterprise', secondsOnPage: 84 },
  },
  captureId: 'web:5e2a7c1d-9b3f-4a6e-8d0c-2f1e3d4c5b6a',
};
