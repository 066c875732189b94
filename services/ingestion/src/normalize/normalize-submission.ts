import type { LeadChannel } from '@l2o/contracts';
import { companyDomain, normalizeDomain } from './company-domain.ts';
import { normalizeCountry } from './normalize-country.ts';
import { normalizeEmail } from './normalize-email.ts';
import { normalizeName } from './normalize-name.ts';
import { normalizePhone } from './normalize-phone.ts';

type Utm = { source?: string; medium?: string; campaign?: string; term?: string; content?: string };

export type Touchpoint = {
  channel?: LeadChannel;
  source?: string;
  campaign?: string;
  medium?: string;
  utm?: Utm;
  referrer?: string;
  occurredAt?: string;
};

export type Consent = { marketing: boolean; optedOut: boolean };
export type ExternalId = { source: string; id: string };
export type CustomFields = Record<string, string | number | boolean | null>;

/** A lead as every channel hands it to capture: the body of `POST /v1/leads`. */
export type LeadSubmission = {
  email?: string;
  phone?: string;
  firstName?: string;
  lastName?: string;
  jobTitle?: string;
  company?: {
    name?: string;
    domain?: string;
    website?: string;
    industry?: string;
    size?: number;
    country?: string;
  };
  consent?: Consent;
  touchpoint?: Touchpoint;
  externalId?: ExternalId;
  customFields?: CustomFields;
};

export type NormalizedCompany = {
  name?: string;
  /** Bare lower-case host: the given domain, else the website's, else a non-free-mail email's. */
  domain?: string;
  website?: string;
  industry?: string;
  size?: number;
  /** ISO 3166-1 alpha-2. */
  country?: string;
};

export type NormalizedSubmission = {
  /** Trimmed, lower case, punycode domain. */
  email?: string;
  /** E.164. */
  phone?: string;
  firstName?: string;
  lastName?: string;
  jobTitle?: string;
  company: NormalizedCompany;
  consent?: Consent;
  touchpoint?: Touchpoint;
  /** Source lower-cased and both parts trimmed, so one system's id always gives one identity key. */
  externalId?: ExternalId;
  customFields?: CustomFields;
};

/** A value that cannot be normalized; `field` is the dotted path in the submission (`company.country`). */
export type FieldError = { field: string; reason: string };

export type NormalizeSubmissionResult = { ok: true; value: NormalizedSubmission } | { ok: false; errors: FieldError[] };

export type NormalizeSubmissionOptions = {
  /** The tenant's ISO 3166-1 alpha-2 country, for phone numbers written without a +country code. */
  defaultCountry?: string | undefined;
};

/** Normalizes every field of a submission; reports every field that cannot be normalized, not only the first. */
export function normalizeSubmission(
  submission: LeadSubmission,
  options: NormalizeSubmissionOptions = {},
): NormalizeSubmissionResult {
  const errors: FieldError[] = [];

  // A blank value (an empty CSV cell) counts as not given, like a blank name.
  let email: string | undefined;
  const givenEmail = trimmed(submission.email);
  if (givenEmail !== undefined) {
    const result = normalizeEmail(givenEmail);
    if (result.ok) email = result.value;
    else errors.push({ field: 'email', reason: result.reason });
  }

  let phone: string | undefined;
  const givenPhone = trimmed(submission.phone);
  if (givenPhone !== undefined) {
    const result = normalizePhone(givenPhone, { defaultCountry: options.defaultCountry });
    if (result.ok) phone = result.value;
    else errors.push({ field: 'phone', reason: result.reason });
  }

  if (email === undefined && phone === undefined && errors.length === 0) {
    errors.push({ field: 'email', reason: 'an email or a phone is required' });
  }

  const company = submission.company ?? {};
  const website = trimmed(company.website);

  let domain: string | undefined;
  const givenDomain = trimmed(company.domain);
  if (givenDomain !== undefined) {
    domain = normalizeDomain(givenDomain);
    if (domain === undefined) {
      errors.push({ field: 'company.domain', reason: `is not a domain name ("${givenDomain}")` });
    }
  } else {
    domain = companyDomain({ website, email });
  }

  let country: string | undefined;
  const givenCountry = trimmed(company.country);
  if (givenCountry !== undefined) {
    const result = normalizeCountry(givenCountry);
    if (result.ok) country = result.value;
    else errors.push({ field: 'company.country', reason: result.reason });
  }

  let externalId: ExternalId | undefined;
  if (submission.externalId !== undefined) {
    const source = submission.externalId.source.trim().toLowerCase();
    const id = submission.externalId.id.trim();
    if (source === '') errors.push({ field: 'externalId.source', reason: 'is empty' });
    if (id === '') errors.push({ field: 'externalId.id', reason: 'is empty' });
    externalId = { source, id };
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      email,
      phone,
      firstName: normalizeName(submission.firstName),
      lastName: normalizeName(submission.lastName),
      jobTitle: normalizeName(submission.jobTitle),
      company: {
        name: normalizeName(company.name),
        domain,
        website,
        industry: normalizeName(company.industry),
        size: company.size,
        country,
      },
      consent: submission.consent,
      touchpoint: submission.touchpoint,
      externalId,
      customFields: submission.customFields,
    },
  };
}

function trimmed(value: string | undefined): string | undefined {
  const text = value?.trim();
  return text === '' ? undefined : text;
}
