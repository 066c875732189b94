import { describe, expect, it } from 'vitest';
import { formToSubmission, parseFormBody } from './web-form.ts';

describe('parseFormBody', () => {
  it('decodes the fields and keeps the first of a repeated one', () => {
    expect(parseFormBody('email=ada%40example.com&first_name=Ada+B&email=other%40example.com')).toEqual({
      email: 'ada@example.com',
      first_name: 'Ada B',
    });
  });
});

describe('formToSubmission', () => {
  it('maps snake_case and camelCase names, consent flags and UTM parameters', () => {
    const submission = formToSubmission({
      fields: {
        email: 'ada@example.com',
        firstName: 'Ada',
        last_name: 'Lovelace',
        job_title: 'CTO',
        company_name: 'Engines',
        website: 'engines.example',
        country: 'GB',
        marketing_consent: 'yes',
        utm_source: 'google',
        utm_campaign: 'spring',
        campaign: 'spring-webinar',
      },
      refererHeader: 'https://example.com/form',
    });

    expect(submission).toEqual({
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      jobTitle: 'CTO',
      company: { name: 'Engines', website: 'engines.example', country: 'GB' },
      consent: { marketing: true, optedOut: false },
      touchpoint: {
        channel: 'web_form',
        campaign: 'spring-webinar',
        utm: { source: 'google', campaign: 'spring' },
        referrer: 'https://example.com/form',
      },
    });
  });

  it('leaves blank fields out and reads an unticked opt-out as false', () => {
    expect(formToSubmission({ fields: { email: 'ada@example.com', phone: '  ', opted_out: 'off' } })).toEqual({
      email: 'ada@example.com',
      consent: { marketing: false, optedOut: false },
      touchpoint: { channel: 'web_form' },
    });
  });

  it('keeps the page URL, from its field or from the Referer when a referrer field is given', () => {
    expect(
      formToSubmission({
        fields: { email: 'a@example.com', referrer: 'https://www.google.com/' },
        refererHeader: 'https://example.com/demo',
      }),
    ).toMatchObject({
      touchpoint: { referrer: 'https://www.google.com/' },
      customFields: { pageUrl: 'https://example.com/demo' },
    });
    expect(formToSubmission({ fields: { email: 'a@example.com', page_url: 'https://example.com/p' } })).toMatchObject({
      customFields: { pageUrl: 'https://example.com/p' },
    });
  });
});
