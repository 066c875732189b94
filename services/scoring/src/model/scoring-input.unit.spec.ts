import { describe, expect, it } from 'vitest';
import { fieldValue } from './scoring-input.ts';
import { lead } from './scoring-input.fixture.ts';

describe('fieldValue', () => {
  it('reads contact and company fields', () => {
    const input = lead({ contact: { jobTitle: 'CTO' }, company: { size: 120 } });
    expect(fieldValue(input, 'contact.jobTitle')).toBe('CTO');
    expect(fieldValue(input, 'company.size')).toBe(120);
  });

  it('derives the seniority from the job title', () => {
    expect(fieldValue(lead({ contact: { jobTitle: 'VP Sales' } }), 'contact.seniority')).toBe('vp');
  });

  it('derives the email domain in lower case', () => {
    expect(fieldValue(lead({ contact: { email: 'Ada@Example.COM' } }), 'contact.emailDomain')).toBe('example.com');
  });

  it('reads the first touch, UTM parameters included', () => {
    const input = lead({
      firstTouch: { channel: 'ad', utm: { source: 'google' }, occurredAt: '2025-04-01T00:00:00.000Z' },
    });
    expect(fieldValue(input, 'firstTouch.channel')).toBe('ad');
    expect(fieldValue(input, 'firstTouch.utm.source')).toBe('google');
  });

  it('has no first-touch value for a lead without a touch', () => {
    expect(fieldValue(lead(), 'firstTouch.channel')).toBeUndefined();
  });

  it('reads a custom field by its whole name', () => {
    expect(fieldValue(lead({ customFields: { 'budget.eur': 5000 } }), 'customFields.budget.eur')).toBe(5000);
  });

  it('reads only own custom fields, never inherited ones', () => {
    expect(fieldValue(lead(), 'customFields.constructor')).toBeUndefined();
    expect(fieldValue(lead(), 'customFields.__proto__')).toBeUndefined();
  });
});
