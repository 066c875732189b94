import { describe, expect, it } from 'vitest';
import { issuesOf } from '../schema-test-support.ts';
import {
  opportunityCloseDateChangedV1Example,
  opportunityCloseDateChangedV1Schema,
} from './opportunity-close-date-changed.v1.ts';

const minimal = {
  opportunityId: '9a8b7c6d-5e4f-5a3b-8c2d-1e0f9a8b7c6d',
  tenantId: 't1',
  changedAt: '2025-01-01T00:00:00Z',
  expectedCloseDate: '2024-02-29',
  previousExpectedCloseDate: '2025-01-31',
};

describe('OpportunityCloseDateChanged v1', () => {
  it('accepts the catalogue example', () => {
    expect(opportunityCloseDateChangedV1Schema.parse(opportunityCloseDateChangedV1Example)).toEqual(
      opportunityCloseDateChangedV1Example,
    );
  });

  it('accepts a leap day', () => {
    expect(issuesOf(opportunityCloseDateChangedV1Schema, minimal)).toEqual([]);
  });

  it.each([
    ['expectedCloseDate', { ...minimal, expectedCloseDate: '2025-02-29' }],
    ['expectedCloseDate', { ...minimal, expectedCloseDate: '31/03/2025' }],
    ['previousExpectedCloseDate', { ...minimal, previousExpectedCloseDate: undefined }],
  ])('rejects a bad %s with its path', (field, data) => {
    expect(issuesOf(opportunityCloseDateChangedV1Schema, data).map((issue) => issue.field)).toEqual([field]);
  });
});
