import { describe, expect, it } from 'vitest';
import { issuesOf } from '../schema-test-support.ts';
import { leadProfileUpdatedV1Example, leadProfileUpdatedV1Schema } from './lead-profile-updated.v1.ts';

const base = {
  leadId: '3f1e2d4c-8b7a-4c6d-9e5f-1a2b3c4d5e6f',
  tenantId: 't1',
  updatedAt: '2025-01-01T00:00:00Z',
  source: 'merge',
};

describe('LeadProfileUpdated v1', () => {
  it('accepts the catalogue example', () => {
    expect(leadProfileUpdatedV1Schema.parse(leadProfileUpdatedV1Example)).toEqual(leadProfileUpdatedV1Example);
  });

  it('accepts a contact change without email or phone, since only changed fields are carried', () => {
    expect(issuesOf(leadProfileUpdatedV1Schema, { ...base, contact: { lastName: 'Lovelace' } })).toEqual([]);
  });

  it.each([
    ['consent', { consent: { marketing: false, optedOut: true } }],
    ['externalIds', { externalIds: [{ source: 'crm', id: '7' }] }],
    ['customFields', { customFields: { seats: null } }],
    ['company', { company: { country: 'FR' } }],
  ])('accepts an update of %s alone', (_field, change) => {
    expect(issuesOf(leadProfileUpdatedV1Schema, { ...base, ...change })).toEqual([]);
  });

  it('refuses an update that changes nothing', () => {
    expect(issuesOf(leadProfileUpdatedV1Schema, base)).toEqual([
      { field: '', message: 'at least one changed field is required' },
    ]);
  });

  it.each([
    ['contact', { contact: {} }],
    ['company', { company: {} }],
    ['customFields', { customFields: {} }],
    ['externalIds', { externalIds: [] }],
  ])('refuses an empty %s', (field, change) => {
    expect(issuesOf(leadProfileUpdatedV1Schema, { ...base, ...change }).map((issue) => issue.field)).toEqual([field]);
  });

  it.each([
    ['source', { source: 'import', contact: { firstName: 'Ada' } }],
    ['contact.email', { contact: { email: 'ada at example' } }],
    ['consent.optedOut', { consent: { marketing: false } }],
  ])('rejects a bad %s with its path', (field, change) => {
    expect(issuesOf(leadProfileUpdatedV1Schema, { ...base, ...change }).map((issue) => issue.field)).toEqual([field]);
  });

  it('strips unknown fields', () => {
    const parsed = leadProfileUpdatedV1Schema.parse({ ...base, contact: { firstName: 'Ada', nickname: 'A' }, x: 1 });
    expect(parsed).toEqual({ ...base, contact: { firstName: 'Ada' } });
  });
});
