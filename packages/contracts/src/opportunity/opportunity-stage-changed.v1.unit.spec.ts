import { describe, expect, it } from 'vitest';
import { issuesOf } from '../schema-test-support.ts';
import { opportunityStageChangedV1Example, opportunityStageChangedV1Schema } from './opportunity-stage-changed.v1.ts';

const fromStage = { id: 'proposal', name: 'Proposal', probability: 50, forecastCategory: 'best_case', position: 2 };
const toStage = { id: 'discovery', name: 'Discovery', probability: 25, forecastCategory: 'pipeline', position: 1 };
const minimal = {
  opportunityId: '9a8b7c6d-5e4f-5a3b-8c2d-1e0f9a8b7c6d',
  tenantId: 't1',
  changedAt: '2025-01-01T00:00:00Z',
  fromStage,
  toStage,
  direction: 'backward',
  by: 'u1',
};

describe('OpportunityStageChanged v1', () => {
  it('accepts the catalogue example', () => {
    expect(opportunityStageChangedV1Schema.parse(opportunityStageChangedV1Example)).toEqual(
      opportunityStageChangedV1Example,
    );
  });

  it('accepts a move back', () => {
    expect(issuesOf(opportunityStageChangedV1Schema, minimal)).toEqual([]);
  });

  it('refuses a change to the same stage', () => {
    expect(issuesOf(opportunityStageChangedV1Schema, { ...minimal, toStage: fromStage })).toEqual([
      { field: 'toStage.id', message: 'a stage change needs another stage' },
    ]);
  });

  it.each([
    ['direction', { ...minimal, direction: 'sideways' }],
    ['by', { ...minimal, by: '' }],
    ['changedAt', { ...minimal, changedAt: 'now' }],
    ['fromStage.name', { ...minimal, fromStage: { ...fromStage, name: '' } }],
    ['toStage.forecastCategory', { ...minimal, toStage: { ...toStage, forecastCategory: 'won' } }],
  ])('rejects a bad %s with its path', (field, data) => {
    expect(issuesOf(opportunityStageChangedV1Schema, data).map((issue) => issue.field)).toEqual([field]);
  });
});
