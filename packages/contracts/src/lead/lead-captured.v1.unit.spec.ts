import { describe, expect, it } from 'vitest';
import { leadCapturedV1Example, leadCapturedV1Schema } from './lead-captured.v1.ts';
import type { LeadCapturedV1 } from './lead-captured.v1.ts';

function issuesOf(data: unknown): Array<{ field: string; message: string }> {
  const result = leadCapturedV1Schema.safeParse(data);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message }));
}

function withChanges(change: (lead: LeadCapturedV1) => void): LeadCapturedV1 {
  const lead = structuredClone(leadCapturedV1Example);
  change(lead);
  return lead;
}

const minimal = {
  leadId: '3f1e2d4c-8b7a-4c6d-9e5f-1a2b3c4d5e6f',
  tenantId: 't1',
  capturedAt: '2025-01-01T00:00:00Z',
  contact: { phone: '+14155550123' },
  company: {},
  touchpoint: { channel: 'api', occurredAt: '2025-01-01T00:00:00+01:00' },
};

describe('LeadCaptured v1', () => {
  it('accepts the catalogue example', () => {
    expect(leadCapturedV1Schema.parse(leadCapturedV1Example)).toEqual(leadCapturedV1Example);
  });

  it('accepts a lead with only the required fields and a phone', () => {
    expect(issuesOf(minimal)).toEqual([]);
  });

  it('strips unknown fields so subscribers tolerate additive changes', () => {
    const parsed = leadCapturedV1Schema.parse({
      ...minimal,
      score: 42,
      contact: { ...minimal.contact, twitter: '@ada' },
    });
    expect(parsed).not.toHaveProperty('score');
    expect(parsed.contact).not.toHaveProperty('twitter');
  });

  it('accepts an optional capture id, an additive change within v1', () => {
    expect(issuesOf({ ...minimal, captureId: 'Idempotency-Key 42' })).toEqual([]);
    expect(issuesOf({ ...minimal, captureId: 'x'.repeat(201) }).map((issue) => issue.field)).toEqual(['captureId']);
  });

  it('requires an email or a phone', () => {
    expect(issuesOf({ ...minimal, contact: { firstName: 'Ada' } })).toEqual([
      { field: 'contact', message: 'an email or a phone is required' },
    ]);
  });

  it.each([
    ['leadId', withChanges((lead) => (lead.leadId = 'not-a-uuid'))],
    ['capturedAt', withChanges((lead) => (lead.capturedAt = '14/03/2025'))],
    ['contact.email', withChanges((lead) => (lead.contact.email = 'ada at example'))],
    ['company.country', withChanges((lead) => (lead.company.country = 'gb'))],
    ['company.size', withChanges((lead) => (lead.company.size = 12.5))],
    ['company.website', withChanges((lead) => (lead.company.website = 'ftp://example.com'))],
    [
      'touchpoint.channel',
      { ...leadCapturedV1Example, touchpoint: { ...leadCapturedV1Example.touchpoint, channel: 'fax' } },
    ],
    ['touchpoint.occurredAt', withChanges((lead) => (lead.touchpoint.occurredAt = ''))],
    ['externalIds.0.id', withChanges((lead) => (lead.externalIds = [{ source: 'crm', id: '' }]))],
    ['consent.optedOut', { ...leadCapturedV1Example, consent: { marketing: true } }],
    ['customFields.nested', { ...leadCapturedV1Example, customFields: { nested: { a: 1 } } }],
  ])('rejects a bad %s with its path', (field, data) => {
    expect(issuesOf(data).map((issue) => issue.field)).toEqual([field]);
  });

  it('rejects a missing touchpoint', () => {
    const { touchpoint: _touchpoint, ...rest } = minimal;
    expect(issuesOf(rest)).toEqual([{ field: 'touchpoint', message: expect.any(String) }]);
  });
});
