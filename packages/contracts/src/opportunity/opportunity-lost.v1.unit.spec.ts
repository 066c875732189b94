import { describe, expect, it } from 'vitest';
import { issuesOf } from '../schema-test-support.ts';
import { opportunityLostV1Example, opportunityLostV1Schema } from './opportunity-lost.v1.ts';

const stage = { id: 'proposal', name: 'Proposal', probability: 50, forecastCategory: 'best_case', position: 2 };
const minimal = {
  opportunityId: '9a8b7c6d-5e4f-5a3b-8c2d-1e0f9a8b7c6d',
  tenantId: 't1',
  lostAt: '2025-01-01T00:00:00Z',
  reason: 'no budget',
  stage,
};

describe('OpportunityLost v1', () => {
  it('accepts the catalogue example', () => {
    expect(opportunityLostV1Schema.parse(opportunityLostV1Example)).toEqual(opportunityLostV1Example);
  });

  it('accepts a loss without a competitor', () => {
    expect(issuesOf(opportunityLostV1Schema, minimal)).toEqual([]);
  });

  it.each([
    ['reason', { ...minimal, reason: '' }],
    ['competitor', { ...minimal, competitor: 'x'.repeat(201) }],
    ['stage.position', { ...minimal, stage: { ...stage, position: 1.5 } }],
  ])('rejects a bad %s with its path', (field, data) => {
    expect(issuesOf(opportunityLostV1Schema, data).map((issue) => issue.field)).toEqual([field]);
  });
});
