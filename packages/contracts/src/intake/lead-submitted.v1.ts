import { z } from 'zod';
import { companySizeSchema } from '../bounded-numbers.ts';
import { cloudEventAttributesSchema } from '../envelope.ts';
import type { CloudEventAttributes } from '../envelope.ts';
import {
  leadChannels,
  leadConsentSchema,
  leadCustomFieldsSchema,
  leadExternalIdSchema,
  leadTouchpointSchema,
} from '../lead/lead-captured.v1.ts';
import { storableString } from '../storable-text.ts';
import { Topics } from '../topics.ts';

// Intake messages come from producers outside the event store, so they belong to no aggregate
// stream: no `ce_streamversion`, and `ce_subject` is only the producer's own record id.
// Length limits are those of LeadCaptured, which every accepted submission becomes.

/**
 * The CloudEvents attributes of a message on an intake topic: those of {@link CloudEventAttributes}
 * without `streamversion`, and with `subject` optional.
 */
export type IntakeCloudEventAttributes = Omit<CloudEventAttributes, 'subject' | 'streamversion'> & {
  /**
   * The producer's id of the submission, unique within the tenant (a UUID is safe), at most 128
   * characters. A message re-sent with the same id is applied once, so keep it when retrying.
   */
  id: string;
  /** The producer's own id of the record the submission comes from, for tracing it back. */
  subject?: string;
};

/** Validates the attributes of an intake message; unknown extensions (and a stray `streamversion`) are stripped. */
export const intakeCloudEventAttributesSchema = cloudEventAttributesSchema
  .omit({ subject: true, streamversion: true })
  // The id becomes the lead's capture id (at most 200 characters in LeadCaptured) behind a short prefix.
  .extend({
    id: storableString().min(1).max(128),
    subject: storableString().min(1).optional(),
  }) satisfies z.ZodType<IntakeCloudEventAttributes>;

/** The `ce_type` of a lead submission on `l2o.lead-intake.v1`. */
export const leadSubmittedV1Type = 'l2o.lead-intake.submitted.v1';

const text = (max: number) => storableString().trim().min(1).max(max);

/**
 * Data of `l2o.lead-intake.submitted.v1`: one lead as a platform producer submits it, the same shape
 * as the body of `POST /v1/leads`. Ingestion validates and normalizes it (email lower-cased, phone to
 * E.164, country to ISO 3166-1 alpha-2, company domain from the website or email), so values may be
 * given as entered; at least one of email or phone is required.
 */
export const leadSubmissionV1Schema = z
  .object({
    email: text(254).describe('Trimmed and lower-cased on capture.').optional(),
    phone: text(64)
      .describe("As entered; normalized to E.164 with the tenant's default country when it has no +country code.")
      .optional(),
    firstName: text(200).optional(),
    lastName: text(200).optional(),
    jobTitle: text(200).optional(),
    company: z
      .object({
        name: text(300).optional(),
        domain: text(253).describe('Host name; a scheme, www. and a path are removed.').optional(),
        website: text(2048).optional(),
        industry: text(200).optional(),
        size: companySizeSchema.describe('Number of employees.').optional(),
        country: text(100).describe('ISO 3166-1 alpha-2 code or English country name.').optional(),
      })
      .optional(),
    consent: leadConsentSchema.optional(),
    touchpoint: leadTouchpointSchema
      .extend({
        channel: z.enum(leadChannels).describe('Default: kafka_intake.').optional(),
        occurredAt: leadTouchpointSchema.shape.occurredAt
          .describe('When the person interacted; default: now.')
          .optional(),
      })
      .optional(),
    externalId: leadExternalIdSchema.describe('The id of this person in the system the lead comes from.').optional(),
    customFields: leadCustomFieldsSchema.optional(),
  })
  .refine((submission) => submission.email !== undefined || submission.phone !== undefined, {
    message: 'an email or a phone is required',
    path: ['email'],
  })
  // Carries the refine above into the JSON Schema, which zod cannot derive from a function.
  .meta({ anyOf: [{ required: ['email'] }, { required: ['phone'] }] })
  .describe('A lead submission, as the body of POST /v1/leads; at least one of email or phone.');

export type LeadSubmissionV1 = z.input<typeof leadSubmissionV1Schema>;

export const leadSubmissionV1Example: LeadSubmissionV1 = {
  email: 'Ada@Example.com',
  phone: '020 7946 0000',
  firstName: 'Ada',
  lastName: 'Lovelace',
  jobTitle: 'Head of Analytics',
  company: { name: 'Analytical Engines Ltd', website: 'https://www.example.com/', country: 'United Kingdom' },
  consent: { marketing: true, optedOut: false },
  touchpoint: { source: 'partner-portal', campaign: 'spring-webinar', occurredAt: '2025-03-14T09:26:41.000Z' },
  externalId: { source: 'partner-crm', id: 'P-51234' },
  customFields: { seats: 25 },
};

/**
 * A lead submitted by a platform producer on `l2o.lead-intake.v1` (CloudEvents binary mode, key
 * free, e.g. the producer's record id). Ingestion captures it as a lead (LeadCaptured, or a touch
 * on the lead it matches) once per `ce_id`; an invalid one goes to the dead-letter topic
 * `l2o.lead-intake.v1.dlq.ingestion.intake` with the reason in the `dlq_reason` header.
 */
export const leadSubmittedV1 = {
  name: 'LeadSubmitted',
  schemaVersion: 1,
  cloudEventType: leadSubmittedV1Type,
  topic: Topics.leadIntake,
  schema: leadSubmissionV1Schema,
  description:
    'A platform producer submits one lead. Ingestion captures it once per ce_id (a re-sent message is a duplicate), ' +
    'as a new lead or a touch on the lead it matches; an invalid one is dead-lettered with the reason.',
  example: leadSubmissionV1Example,
} as const;
