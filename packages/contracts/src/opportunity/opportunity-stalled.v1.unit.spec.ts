import { describe, expect, it } from 'vitest';
import { issuesOf } from '../schema-test-support.ts';
import { opportunityStalledV1Example, opportunityStalledV1Schema } from './opportunity-stalled.v1.ts';

const minimal = {
  opportunityId: '9a8b7c6d-5e4f-5a3b-8c2d-1e0f9a8b7c6d',
  tenantId: 't1',
  stalledAt: '2025-01-08T00:00:00Z',
  stage: { id: 'new', name: 'New', probability: 5, forecastCategory: 'pipeline', position: 0 },
  enteredStageAt: '2025-01-01T00:00:00Z',
  slaDays: 7,
};

describe('OpportunityStalled v1', () => {
  it('accepts the catalogue example', () => {
    expect(opportunityStalledV1Schema.parse(opportunityStalledV1Example)).toEqual(opportunityStalledV1Example);
  });

  it('accepts a stall after a one-week SLA', () => {
    expect(issuesOf(opportunityStalledV1Schema, minimal)).toEqual([]);
  });

  it.each([
    ['slaDays', { ...minimal, slaDays: 0 }],
    ['slaDays', { ...minimal, slaDays: 1.5 }],
    ['enteredStageAt', { ...minimal, enteredStageAt: '2025-01-01' }],
    ['stage', { ...minimal, stage: 'new' }],
  ])('rejects a bad %s with its path', (field, data) => {
    expect(issuesOf(opportunityStalledV1Schema, data).map((issue) => issue.field)).toEqual([field]);
  });
});
