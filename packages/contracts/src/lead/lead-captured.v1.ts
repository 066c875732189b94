import { z } from 'zod';
import { companySizeSchema } from '../bounded-numbers.ts';
import { refuseUnstorableText, storableString } from '../storable-text.ts';
import { isoDateTime, text } from './lead-schema-parts.ts';

// Unknown keys are stripped on parse (zod's default `z.object`), never rejected: a subscriber
// built against this version keeps working when a producer adds an optional field. The JSON
// Schema is generated in input mode, so it does not forbid additional properties either.

/** Channels a lead can arrive through. A new value is a breaking change: it needs a new event version. */
export const leadChannels = [
  'web_form',
  'api',
  'csv_import',
  'kafka_intake',
  'event',
  'partner',
  'ad',
  'other',
] as const;
export type LeadChannel = (typeof leadChannels)[number];

/**
 * The contact fields of a lead, each optional and without the "email or phone" rule, for events
 * that carry only some of them (`LeadProfileUpdated`).
 */
export const leadContactFieldsSchema = z.object({
  email: z.email().max(254).optional(),
  phone: z
    .string()
    .regex(/^\+?[0-9 ().-]{3,32}$/)
    .describe('As entered; E.164 (+14155550123) preferred.')
    .optional(),
  firstName: text(200).optional(),
  lastName: text(200).optional(),
  jobTitle: text(200).optional(),
});
export type LeadContactFields = z.output<typeof leadContactFieldsSchema>;

/** How to reach a person: the contact fields with at least one of email or phone. */
export const leadContactSchema = leadContactFieldsSchema
  .refine((c) => c.email !== undefined || c.phone !== undefined, { message: 'an email or a phone is required' })
  // Carries the refine above into the JSON Schema, which zod cannot derive from a function.
  .meta({
    description: 'How to reach the person; at least one of email or phone.',
    anyOf: [{ required: ['email'] }, { required: ['phone'] }],
  });
export type LeadContact = z.output<typeof leadContactSchema>;

/** The organisation a person works for; every field optional. */
export const leadCompanySchema = z
  .object({
    name: text(300).optional(),
    domain: z.hostname().max(253).describe('Bare host name, e.g. acme.com.').optional(),
    website: z.httpUrl().max(2048).check(refuseUnstorableText).optional(),
    industry: text(200).optional(),
    size: companySizeSchema.describe('Number of employees.').optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .describe('ISO 3166-1 alpha-2 code, upper case.')
      .optional(),
  })
  .describe('The organisation the person works for, as far as known.');
export type LeadCompany = z.output<typeof leadCompanySchema>;

/** A person's consent to marketing and whether they opted out of contact. */
export const leadConsentSchema = z
  .object({
    marketing: z.boolean().describe('The person agreed to marketing communication.'),
    optedOut: z.boolean().describe('The person asked not to be contacted.'),
  })
  .describe('Consent recorded at capture; absent when the channel records none.');
export type LeadConsent = z.output<typeof leadConsentSchema>;

/** UTM parameters of the link the person followed. */
export const leadUtmSchema = z.object({
  source: text(200).optional(),
  medium: text(200).optional(),
  campaign: text(200).optional(),
  term: text(200).optional(),
  content: text(200).optional(),
});
export type LeadUtm = z.output<typeof leadUtmSchema>;

/** One interaction of a person with a channel, as attribution reads it. */
export const leadTouchpointSchema = z
  .object({
    channel: z.enum(leadChannels),
    source: text(200).optional(),
    campaign: text(200).optional(),
    medium: text(200).optional(),
    utm: leadUtmSchema.optional(),
    referrer: text(2048).optional(),
    occurredAt: isoDateTime.describe('When the person interacted, which may precede capturedAt.'),
  })
  .describe('The interaction that produced the lead; the first touch for attribution.');
export type LeadTouchpoint = z.output<typeof leadTouchpointSchema>;

/** The id of a person in another system. */
export const leadExternalIdSchema = z.object({
  source: text(64).describe('System that owns the id, e.g. hubspot.'),
  id: text(256),
});
export type LeadExternalId = z.output<typeof leadExternalIdSchema>;

/** A custom field's value: scalars only, so every subscriber can store it as a column. */
export const leadScalarSchema = z.union([storableString().max(2048), z.number(), z.boolean(), z.null()]);
export type LeadScalar = z.output<typeof leadScalarSchema>;

/** Flat tenant-defined fields of a lead. */
export const leadCustomFieldsSchema = z
  .record(text(64), leadScalarSchema)
  .describe('Flat tenant-defined fields; values are scalars.');
export type LeadCustomFields = z.output<typeof leadCustomFieldsSchema>;

/**
 * The caller's key for one capture or activity (an Idempotency-Key, `source:externalId`, a
 * CloudEvent id, a CSV row hash); the lead applies each one once.
 */
export const leadCaptureIdSchema = text(200).describe('Idempotency key of the capture; applied once per lead.');

/** Data of `LeadCaptured` version 1: a new lead entered the platform. */
export const leadCapturedV1Schema = z
  .object({
    leadId: z.uuid(),
    tenantId: text(64),
    capturedAt: isoDateTime,
    contact: leadContactSchema,
    company: leadCompanySchema,
    consent: leadConsentSchema.optional(),
    touchpoint: leadTouchpointSchema,
    externalIds: z.array(leadExternalIdSchema).max(50).optional(),
    customFields: leadCustomFieldsSchema.optional(),
    captureId: leadCaptureIdSchema.optional(),
  })
  .describe('A new lead entered the platform.');

export type LeadCapturedV1 = z.output<typeof leadCapturedV1Schema>;

export const leadCapturedV1Example: LeadCapturedV1 = {
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 'acme',
  capturedAt: '2025-03-14T09:26:53.000Z',
  contact: {
    email: 'ada@example.com',
    phone: '+442079460000',
    firstName: 'Ada',
    lastName: 'Lovelace',
    jobTitle: 'Head of Analytics',
  },
  company: {
    name: 'Analytical Engines Ltd',
    domain: 'example.com',
    website: 'https://example.com',
    industry: 'Software',
    size: 120,
    country: 'GB',
  },
  consent: { marketing: true, optedOut: false },
  touchpoint: {
    channel: 'web_form',
    source: 'website',
    campaign: 'spring-webinar',
    medium: 'cpc',
    utm: { source: 'google', medium: 'cpc', campaign: 'spring-webinar', term: 'lead scoring', content: 'ad-a' },
    referrer: 'https://www.google.com/',
    occurredAt: '2025-03-14T09:26:41.000Z',
  },
  externalIds: [{ source: 'hubspot', id: '51234' }],
  customFields: { budgetApproved: true, seats: 25, notes: null },
  captureId: 'hubspot:51234',
};
