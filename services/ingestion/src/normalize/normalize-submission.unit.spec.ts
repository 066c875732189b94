import { describe, expect, it } from 'vitest';
import { normalizeSubmission } from './normalize-submission.ts';
import type { LeadSubmission } from './normalize-submission.ts';

const full: LeadSubmission = {
  email: '  Ada@Acme.COM ',
  phone: '020 7946 0000',
  firstName: ' Ada ',
  lastName: 'King   Lovelace',
  jobTitle: ' Head of\tAnalytics ',
  company: {
    name: ' Analytical  Engines Ltd ',
    website: 'https://www.Analytical-Engines.co.uk/about?ref=x',
    industry: ' Software ',
    size: 120,
    country: 'United Kingdom',
  },
  consent: { marketing: true, optedOut: false },
  touchpoint: {
    channel: 'web_form',
    source: 'website',
    utm: { campaign: 'spring' },
    occurredAt: '2025-03-14T09:26:41Z',
  },
  externalId: { source: ' HubSpot ', id: ' 51234 ' },
  customFields: { seats: 25, notes: null },
};

describe('normalizeSubmission', () => {
  it('normalizes every field and passes consent, touchpoint and custom fields through', () => {
    expect(normalizeSubmission(full, { defaultCountry: 'GB' })).toEqual({
      ok: true,
      value: {
        email: 'ada@acme.com',
        phone: '+442079460000',
        firstName: 'Ada',
        lastName: 'King Lovelace',
        jobTitle: 'Head of Analytics',
        company: {
          name: 'Analytical Engines Ltd',
          domain: 'analytical-engines.co.uk',
          website: 'https://www.Analytical-Engines.co.uk/about?ref=x',
          industry: 'Software',
          size: 120,
          country: 'GB',
        },
        consent: { marketing: true, optedOut: false },
        touchpoint: full.touchpoint,
        externalId: { source: 'hubspot', id: '51234' },
        customFields: { seats: 25, notes: null },
      },
    });
  });

  describe('takes the company domain', () => {
    it.each([
      {
        name: 'as given, normalized, over the website',
        submission: { email: 'ada@acme.com', company: { domain: 'WWW.Acme-Group.com.', website: 'https://acme.io' } },
        expected: 'acme-group.com',
      },
      {
        name: 'from the website over the email',
        submission: { email: 'ada@acme.com', company: { website: 'acme.io/en' } },
        expected: 'acme.io',
      },
      { name: 'from the email without a website', submission: { email: 'Ada@Acme.com' }, expected: 'acme.com' },
      { name: 'from no free-mail email', submission: { email: 'ada@gmail.com' }, expected: undefined },
      { name: 'from no phone-only lead', submission: { phone: '+442079460000' }, expected: undefined },
    ])('$name', ({ submission, expected }) => {
      const result = normalizeSubmission(submission);
      expect(result.ok && result.value.company.domain).toBe(expected);
    });
  });

  it('uses the default country for a national phone number', () => {
    expect(normalizeSubmission({ phone: '030 12345678' }, { defaultCountry: 'DE' })).toMatchObject({
      ok: true,
      value: { phone: '+493012345678' },
    });
  });

  it('rejects a national phone number without a default country', () => {
    expect(normalizeSubmission({ phone: '030 12345678' })).toEqual({
      ok: false,
      errors: [{ field: 'phone', reason: 'has no valid +country code, and no default country applies' }],
    });
  });

  it('reports every field that cannot be normalized, by dotted path', () => {
    const result = normalizeSubmission(
      {
        email: 'ada-at-acme',
        phone: '123',
        company: { domain: 'not a domain', country: 'Atlantis' },
        externalId: { source: 'hubspot', id: '  ' },
      },
      { defaultCountry: 'US' },
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'email', reason: 'is not an email address: it needs a part before the @ and a domain after it' },
        { field: 'phone', reason: 'is too short for US' },
        { field: 'company.domain', reason: 'is not a domain name ("not a domain")' },
        { field: 'company.country', reason: 'is not a known country code or English country name ("Atlantis")' },
        { field: 'externalId.id', reason: 'is empty' },
      ],
    });
  });

  it('takes a blank email or phone as not given', () => {
    expect(normalizeSubmission({ email: ' ', phone: '+1 201 555 0123', firstName: '  ' })).toEqual({
      ok: true,
      value: { phone: '+12015550123', company: {} },
    });
  });

  it('requires an email or a phone', () => {
    expect(normalizeSubmission({ email: '', phone: ' ', firstName: 'Ada' })).toEqual({
      ok: false,
      errors: [{ field: 'email', reason: 'an email or a phone is required' }],
    });
  });
});
