import { describe, expect, it } from 'vitest';
import { issuesOf } from '../schema-test-support.ts';
import { opportunityWonV1Example, opportunityWonV1Schema } from './opportunity-won.v1.ts';

const stage = { id: 'negotiation', name: 'Negotiation', probability: 75, forecastCategory: 'commit', position: 3 };
const minimal = {
  opportunityId: '9a8b7c6d-5e4f-5a3b-8c2d-1e0f9a8b7c6d',
  tenantId: 't1',
  wonAt: '2025-01-01T00:00:00+01:00',
  amount: 1000,
  currency: 'GBP',
  stage,
};

describe('OpportunityWon v1', () => {
  it('accepts the catalogue example', () => {
    expect(opportunityWonV1Schema.parse(opportunityWonV1Example)).toEqual(opportunityWonV1Example);
  });

  it('accepts a win with an offset timestamp', () => {
    expect(issuesOf(opportunityWonV1Schema, minimal)).toEqual([]);
  });

  it.each([
    ['amount', { ...minimal, amount: undefined }],
    ['amount', { ...minimal, amount: 12.345 }],
    ['currency', { ...minimal, currency: 'gbp' }],
    ['stage.id', { ...minimal, stage: { ...stage, id: '' } }],
  ])('rejects a bad %s with its path', (field, data) => {
    expect(issuesOf(opportunityWonV1Schema, data).map((issue) => issue.field)).toEqual([field]);
  });
});
