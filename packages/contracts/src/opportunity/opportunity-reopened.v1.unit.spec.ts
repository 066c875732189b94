import { describe, expect, it } from 'vitest';
import { issuesOf } from '../schema-test-support.ts';
import { opportunityReopenedV1Example, opportunityReopenedV1Schema } from './opportunity-reopened.v1.ts';

const minimal = {
  opportunityId: '9a8b7c6d-5e4f-5a3b-8c2d-1e0f9a8b7c6d',
  tenantId: 't1',
  reopenedAt: '2025-01-01T00:00:00Z',
  stage: { id: 'new', name: 'New', probability: 0, forecastCategory: 'pipeline', position: 0 },
  previousOutcome: 'won',
};

describe('OpportunityReopened v1', () => {
  it('accepts the catalogue example', () => {
    expect(opportunityReopenedV1Schema.parse(opportunityReopenedV1Example)).toEqual(opportunityReopenedV1Example);
  });

  it('accepts a won opportunity reopened into the first stage', () => {
    expect(issuesOf(opportunityReopenedV1Schema, minimal)).toEqual([]);
  });

  it.each([
    ['previousOutcome', { ...minimal, previousOutcome: 'open' }],
    ['stage', { ...minimal, stage: undefined }],
    ['reopenedAt', { ...minimal, reopenedAt: 1735689600000 }],
  ])('rejects a bad %s with its path', (field, data) => {
    expect(issuesOf(opportunityReopenedV1Schema, data).map((issue) => issue.field)).toEqual([field]);
  });
});
