import { describe, expect, it } from 'vitest';
import { issuesOf } from '../schema-test-support.ts';
import {
  opportunityDetailsUpdatedV1Example,
  opportunityDetailsUpdatedV1Schema,
} from './opportunity-details-updated.v1.ts';

const minimal = {
  opportunityId: '9a8b7c6d-5e4f-5a3b-8c2d-1e0f9a8b7c6d',
  tenantId: 't1',
  updatedAt: '2025-01-01T00:00:00Z',
  fields: { budgetConfirmed: true },
};

describe('OpportunityDetailsUpdated v1', () => {
  it('accepts the catalogue example', () => {
    expect(opportunityDetailsUpdatedV1Schema.parse(opportunityDetailsUpdatedV1Example)).toEqual(
      opportunityDetailsUpdatedV1Example,
    );
  });

  it('accepts a field cleared with null', () => {
    expect(issuesOf(opportunityDetailsUpdatedV1Schema, { ...minimal, fields: { decisionMaker: null } })).toEqual([]);
  });

  it('requires at least one field', () => {
    expect(issuesOf(opportunityDetailsUpdatedV1Schema, { ...minimal, fields: {} })).toEqual([
      { field: 'fields', message: 'at least one field is required' },
    ]);
  });

  it.each([
    ['fields.nested', { ...minimal, fields: { nested: [1] } }],
    ['updatedAt', { ...minimal, updatedAt: '' }],
    ['tenantId', { ...minimal, tenantId: 'x'.repeat(65) }],
  ])('rejects a bad %s with its path', (field, data) => {
    expect(issuesOf(opportunityDetailsUpdatedV1Schema, data).map((issue) => issue.field)).toEqual([field]);
  });
});
