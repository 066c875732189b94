import { z } from 'zod';
import {
  companySizeSchema,
  leadChannels,
  leadConsentSchema,
  leadCustomFieldsSchema,
  storableString,
} from '@l2o/contracts';
import { fieldErrorOf } from '@l2o/service-kit';
import type { FieldError, LeadSubmission } from '../normalize/index.ts';

// Values are taken as entered and normalized afterwards (normalize/), so the limits here are those of
// LeadCaptured and a value's format is checked by its normalizer, which names the field it rejects.
// A blank text counts as not given, as an empty form field or CSV cell does. (No z.preprocess here:
// zod leaves the examples out of the input JSON Schema of a schema that transforms.)
const text = (max: number) => storableString().trim().max(max).optional();

const submissionExample = {
  email: 'ada@example.com',
  phone: '020 7946 0000',
  firstName: 'Ada',
  lastName: 'Lovelace',
  jobTitle: 'Head of Analytics',
  company: { name: 'Analytical Engines Ltd', website: 'https://www.example.com/', country: 'United Kingdom' },
  consent: { marketing: true, optedOut: false },
  touchpoint: {
    channel: 'web_form',
    source: 'website',
    campaign: 'spring-webinar',
    utm: { source: 'google', medium: 'cpc', campaign: 'spring-webinar' },
    referrer: 'https://www.google.com/',
  },
  externalId: { source: 'hubspot', id: '51234' },
};

const touchpointSchema = z
  .object({
    channel: z.enum(leadChannels).optional().describe("Default: the channel's own (api, web_form, csv_import…)."),
    source: text(200),
    campaign: text(200),
    medium: text(200),
    utm: z
      .object({ source: text(200), medium: text(200), campaign: text(200), term: text(200), content: text(200) })
      .optional(),
    referrer: text(2048),
    occurredAt: z.iso.datetime({ offset: true }).optional().describe('When the person interacted; default: now.'),
  })
  .describe('Where the person came from; every capture records it as a touchpoint.');

/** The body of `POST /v1/leads`, an item of a batch, a mapped CSV row, an intake event's data. */
export const leadSubmissionSchema = z
  .object({
    email: text(254).describe('Trimmed and lower-cased.'),
    phone: text(64).describe("As entered; E.164 after normalization, with the tenant's default country."),
    firstName: text(200),
    lastName: text(200),
    jobTitle: text(200),
    company: z
      .object({
        name: text(300),
        domain: text(253).describe('Host name; a scheme, www. and a path are removed.'),
        website: text(2048),
        industry: text(200),
        size: companySizeSchema.optional().describe('Number of employees.'),
        country: text(100).describe('ISO 3166-1 alpha-2 code or English country name.'),
      })
      .optional(),
    consent: leadConsentSchema.optional(),
    touchpoint: touchpointSchema.optional(),
    externalId: z
      .object({ source: storableString().trim().max(64), id: storableString().trim().max(256) })
      .optional()
      .describe('The id of this person in the system the lead comes from; a second capture of it is a duplicate.'),
    customFields: leadCustomFieldsSchema.optional(),
  })
  .refine((submission) => submission.email !== undefined || submission.phone !== undefined, {
    message: 'an email or a phone is required',
    path: ['email'],
  })
  .meta({
    description: 'A lead; at least one of email or phone. Unknown fields are ignored.',
    anyOf: [{ required: ['email'] }, { required: ['phone'] }],
    examples: [submissionExample],
  });

/** A submission checked against {@link leadSubmissionSchema}, or every issue with its dotted field path. */
export function parseLeadSubmission(
  submission: unknown,
): { ok: true; value: LeadSubmission } | { ok: false; errors: FieldError[] } {
  const result = leadSubmissionSchema.safeParse(submission);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, errors: fieldErrors(result.error) };
}

/** zod issues as `{field, reason}`, the field a dotted path (`company.size`), `body` for the whole input. */
export function fieldErrors(error: z.ZodError, root = 'body'): FieldError[] {
  return error.issues.map((issue) => fieldErrorOf(issue, root));
}
