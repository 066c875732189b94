import type { LeadSubmission } from '../normalize/index.ts';

/** A parsed `application/x-www-form-urlencoded` body: each field once (the first value wins). */
export type FormFields = Record<string, string>;

/** The flat field names a web form may use, documented on `POST /v1/leads`. */
export const webFormFields = [
  'email',
  'phone',
  'first_name (firstName)',
  'last_name (lastName)',
  'job_title (jobTitle)',
  'company (company_name)',
  'website',
  'country',
  'industry',
  'marketing_consent (true/on/yes/1)',
  'opted_out (true/on/yes/1)',
  'source, medium, campaign',
  'utm_source, utm_medium, utm_campaign, utm_term, utm_content',
  'referrer (default: the Referer header)',
  'page_url',
] as const;

const truthy = new Set(['1', 'true', 'on', 'yes']);

/** Parses a form body; repeated fields keep their first value. */
export function parseFormBody(body: string): FormFields {
  const fields: FormFields = {};
  for (const [name, value] of new URLSearchParams(body)) {
    if (!(name in fields)) fields[name] = value;
  }
  return fields;
}

/**
 * A web form post as a lead submission. Fields outside {@link webFormFields} are ignored; the page
 * the form sits on arrives as the Referer header, so a `referrer` field (the page's own referrer,
 * e.g. a search engine) takes precedence and the header then names the page.
 */
export function formToSubmission(options: { fields: FormFields; refererHeader?: string | undefined }): LeadSubmission {
  const field = (...names: string[]): string | undefined => {
    for (const name of names) {
      const value = options.fields[name]?.trim();
      if (value !== undefined && value !== '') return value;
    }
    return undefined;
  };
  const flag = (name: string): boolean | undefined => {
    const value = field(name);
    return value === undefined ? undefined : truthy.has(value.toLowerCase());
  };

  const referrerField = field('referrer');
  const pageUrl = field('page_url', 'pageUrl') ?? (referrerField === undefined ? undefined : options.refererHeader);
  const marketing = flag('marketing_consent');
  const optedOut = flag('opted_out');
  const utm = compact({
    source: field('utm_source'),
    medium: field('utm_medium'),
    campaign: field('utm_campaign'),
    term: field('utm_term'),
    content: field('utm_content'),
  });
  const company = compact({
    name: field('company', 'company_name', 'companyName'),
    website: field('website'),
    country: field('country'),
    industry: field('industry'),
  });

  const submission = compact({
    email: field('email'),
    phone: field('phone'),
    firstName: field('first_name', 'firstName'),
    lastName: field('last_name', 'lastName'),
    jobTitle: field('job_title', 'jobTitle'),
    company,
    consent:
      marketing === undefined && optedOut === undefined
        ? undefined
        : { marketing: marketing ?? false, optedOut: optedOut ?? false },
    touchpoint: compact({
      channel: 'web_form' as const,
      source: field('source'),
      medium: field('medium'),
      campaign: field('campaign'),
      utm,
      referrer: referrerField ?? options.refererHeader,
    }),
    customFields: pageUrl === undefined ? undefined : { pageUrl },
  });
  return submission ?? {};
}

/** The record without its undefined values; undefined when nothing is left. */
function compact<T extends Record<string, unknown>>(record: T): T | undefined {
  const entries = Object.entries(record).filter(([, value]) => value !== undefined);
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as T);
}
