import { z } from 'zod';
import {
  leadCompanySchema,
  leadConsentSchema,
  leadContactFieldsSchema,
  leadCustomFieldsSchema,
  leadExternalIdSchema,
} from './lead-captured.v1.ts';
import { isoDateTime, text } from './lead-schema-parts.ts';

/** What changed the profile: a later capture of the lead, or a lead merged into it. */
export const leadProfileUpdateSources = ['capture', 'merge'] as const;
export type LeadProfileUpdateSource = (typeof leadProfileUpdateSources)[number];

const changedFields = ['contact', 'company', 'consent', 'externalIds', 'customFields'] as const;

/** An object with at least one field; an empty one would say nothing changed. */
function notEmpty<Schema extends z.ZodType<Record<string, unknown>>>(schema: Schema): Schema {
  return schema
    .refine((value) => Object.values(value).some((field) => field !== undefined), {
      message: 'at least one field is required',
    })
    .meta({ minProperties: 1 });
}

/** Data of `LeadProfileUpdated` version 1: fields of a lead's profile that were unknown became known. */
export const leadProfileUpdatedV1Schema = z
  .object({
    leadId: z.uuid(),
    tenantId: text(64),
    updatedAt: isoDateTime,
    source: z.enum(leadProfileUpdateSources),
    contact: notEmpty(leadContactFieldsSchema).describe('Contact fields set by this update.').optional(),
    company: notEmpty(leadCompanySchema).describe('Company fields set by this update.').optional(),
    consent: leadConsentSchema.describe('The consent in force from now on.').optional(),
    externalIds: z
      .array(leadExternalIdSchema)
      .min(1)
      .max(1000)
      .describe('Ids added to the lead; the ones it had stay.')
      .optional(),
    customFields: notEmpty(leadCustomFieldsSchema).describe('Custom fields set by this update.').optional(),
  })
  .refine((data) => changedFields.some((field) => data[field] !== undefined), {
    message: 'at least one changed field is required',
  })
  // Carries the refine above into the JSON Schema, which zod cannot derive from a function.
  .meta({
    description: 'Only the fields that changed; absent fields keep their value. At least one is present.',
    anyOf: changedFields.map((field) => ({ required: [field] })),
  });

export type LeadProfileUpdatedV1 = z.output<typeof leadProfileUpdatedV1Schema>;

export const leadProfileUpdatedV1Example: LeadProfileUpdatedV1 = {
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 'acme',
  updatedAt: '2025-04-02T14:05:12.000Z',
  source: 'capture',
  contact: { jobTitle: 'Head of Analytics' },
  company: { size: 120 },
  consent: { marketing: false, optedOut: true },
  externalIds: [{ source: 'salesforce', id: '00Q5e000001AbCd' }],
  customFields: { seats: 40 },
};
