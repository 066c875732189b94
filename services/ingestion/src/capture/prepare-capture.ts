import { randomUUID } from 'node:crypto';
import { leadCapturedV1Schema } from '@l2o/contracts';
import type { LeadChannel, LeadTouchpoint } from '@l2o/contracts';
import type { CaptureLead } from '@l2o/domain';
import { eventMetadata } from '@l2o/event-store';
import type { EventMetadata, EventMetadataOptions } from '@l2o/event-store';
import { identityKeys, normalizeSubmission } from '../normalize/index.ts';
import type { FieldError, IdentityKey, NormalizedSubmission } from '../normalize/index.ts';
import type { IngestionSettings } from '../settings/ingestion-settings.repository.ts';
import type { CaptureInput } from './lead-capturer.ts';
import { fieldErrors, parseLeadSubmission } from './lead-submission.schema.ts';

/** A submission that passed validation and normalization: what resolving and deciding need. */
export type PreparedCapture = {
  tenantId: string;
  /** The CaptureLead data but for the lead id, which resolving decides. */
  data: Omit<CaptureLead['data'], 'leadId'>;
  captureId: string | undefined;
  /** Identity keys in the order of the tenant's match rules, the strongest first. */
  keys: IdentityKey[];
  now: Date;
  metadata: EventMetadata;
};

/**
 * Validates and normalizes a submission into the data of its capture, checked against the
 * LeadCaptured contract so an accepted capture is always a valid event. Pure but for the clock.
 */
export function prepareCapture(options: {
  input: CaptureInput;
  settings: IngestionSettings;
  now: Date;
}): { ok: true; value: PreparedCapture } | { ok: false; errors: FieldError[] } {
  const { input, now } = options;
  const { tenantId } = input;
  const parsed = parseLeadSubmission(input.submission);
  if (!parsed.ok) return parsed;
  const normalized = normalizeSubmission(parsed.value, { defaultCountry: options.settings.defaultCountry });
  if (!normalized.ok) return normalized;
  const data = toCaptureData({ normalized: normalized.value, tenantId, defaultChannel: input.defaultChannel, now });
  if (!data.ok) return data;

  const externalId = normalized.value.externalId;
  return {
    ok: true,
    value: {
      tenantId,
      data: data.value,
      captureId:
        input.captureId ?? (externalId === undefined ? undefined : `external:${externalId.source}:${externalId.id}`),
      keys: identityKeys(normalized.value, options.settings.matchRules),
      now,
      metadata: ingestionMetadata(input),
    },
  };
}

/** `contact.email` → `email`, `externalIds.0.id` → `externalId.id`: the submission's names for event fields. */
export function submissionField(eventField: string | undefined): string {
  if (eventField === undefined || eventField === 'contact') return 'email';
  if (eventField.startsWith('contact.')) return eventField.slice('contact.'.length);
  if (eventField.startsWith('externalIds.0')) return `externalId${eventField.slice('externalIds.0'.length)}`;
  return eventField;
}

/** The metadata of the events ingestion appends for a caller (a request, an intake message). */
export function ingestionMetadata(origin: Omit<EventMetadataOptions, 'producer'>): EventMetadata {
  return eventMetadata({ ...origin, producer: 'ingestion' });
}

const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i;

function toCaptureData(options: {
  normalized: NormalizedSubmission;
  tenantId: string;
  defaultChannel: LeadChannel;
  now: Date;
}): { ok: true; value: Omit<CaptureLead['data'], 'leadId'> } | { ok: false; errors: FieldError[] } {
  const { normalized, tenantId, now } = options;
  const { website, ...company } = normalized.company;
  let websiteUrl: string | undefined;
  if (website !== undefined) {
    const url = URL.parse(hasScheme.test(website) ? website : `https://${website}`);
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      return { ok: false, errors: [{ field: 'company.website', reason: 'is not a web address' }] };
    }
    websiteUrl = url.href;
  }
  const value = {
    tenantId,
    contact: defined({
      email: normalized.email,
      phone: normalized.phone,
      firstName: normalized.firstName,
      lastName: normalized.lastName,
      jobTitle: normalized.jobTitle,
    }),
    company: defined({ ...company, website: websiteUrl }),
    ...(normalized.consent === undefined ? {} : { consent: normalized.consent }),
    touchpoint: touchpointOf({ normalized, defaultChannel: options.defaultChannel, now }),
    ...(normalized.externalId === undefined ? {} : { externalIds: [normalized.externalId] }),
    ...(normalized.customFields === undefined ? {} : { customFields: normalized.customFields }),
  };
  const checked = leadCapturedV1Schema.safeParse({ ...value, leadId: randomUUID(), capturedAt: now.toISOString() });
  if (!checked.success) {
    return {
      ok: false,
      errors: fieldErrors(checked.error).map(({ field, reason }) => ({ field: submissionField(field), reason })),
    };
  }
  return { ok: true, value };
}

// Attribution reads source, medium and campaign; a caller that sent only UTM parameters meant the same.
function touchpointOf(options: {
  normalized: NormalizedSubmission;
  defaultChannel: LeadChannel;
  now: Date;
}): LeadTouchpoint {
  const given = options.normalized.touchpoint ?? {};
  const utm = given.utm === undefined ? undefined : defined(given.utm);
  const hasUtm = utm !== undefined && Object.keys(utm).length > 0;
  return defined({
    channel: given.channel ?? options.defaultChannel,
    source: nonBlank(given.source) ?? utm?.source,
    campaign: nonBlank(given.campaign) ?? utm?.campaign,
    medium: nonBlank(given.medium) ?? utm?.medium,
    utm: hasUtm ? utm : undefined,
    referrer: given.referrer,
    occurredAt: given.occurredAt ?? options.now.toISOString(),
  }) as LeadTouchpoint;
}

function nonBlank(text: string | undefined): string | undefined {
  return text === '' ? undefined : text;
}

/** The record without undefined values and blank texts (a blank counts as not given). */
function defined<T extends Record<string, unknown>>(record: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && value !== '')) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
