import { describe, expect, it } from 'vitest';
import { issuesOf } from '../schema-test-support.ts';
import { leadAssignedV1Example, leadAssignedV1Schema } from './lead-assigned.v1.ts';
import { leadConvertedV1Example, leadConvertedV1Schema } from './lead-conversion.v1.ts';
import { leadContactedV1Example, leadContactedV1Schema } from './lead-rep-actions.v1.ts';
import { leadRecycledV1Example, leadRecycledV1Schema } from './lead-response-sla.v1.ts';
import { leadScoredV1Example, leadScoredV1Schema } from './lead-scored.v1.ts';

describe('Lead lifecycle events v1', () => {
  describe('LeadScored', () => {
    it('keeps a null predictive part, which means "not enough history"', () => {
      expect(leadScoredV1Schema.parse(leadScoredV1Example).components.predictive).toBeNull();
    });

    it.each([
      ['score', { ...leadScoredV1Example, score: 101 }],
      ['score', { ...leadScoredV1Example, score: 71.5 }],
      ['grade', { ...leadScoredV1Example, grade: 'E' }],
      ['components.fit', { ...leadScoredV1Example, components: { fit: -1, engagement: 0, predictive: null } }],
      ['breakdown.0.part', { ...leadScoredV1Example, breakdown: [{ part: 'luck', label: 'x', points: 1 }] }],
      ['trigger', { ...leadScoredV1Example, trigger: 'whim' }],
    ])('rejects a bad %s with its path', (field, data) => {
      expect(issuesOf(leadScoredV1Schema, data).map((issue) => issue.field)).toEqual([field]);
    });
  });

  it('LeadAssigned needs an owner and a pool', () => {
    const { ownerId: _owner, poolId: _pool, ...unowned } = leadAssignedV1Example;
    expect(issuesOf(leadAssignedV1Schema, unowned).map((issue) => issue.field)).toEqual(['ownerId', 'poolId']);
  });

  it('LeadContacted refuses a contact method it does not know', () => {
    expect(issuesOf(leadContactedV1Schema, { ...leadContactedV1Example, method: 'fax' })).toHaveLength(1);
  });

  it('LeadRecycled names why the lead went back to the pool', () => {
    expect(issuesOf(leadRecycledV1Schema, { ...leadRecycledV1Example, reason: 'bored' })[0]?.field).toBe('reason');
  });

  it('LeadConverted needs a uuid opportunity id', () => {
    expect(issuesOf(leadConvertedV1Schema, { ...leadConvertedV1Example, opportunityId: 'opp-1' })[0]?.field).toBe(
      'opportunityId',
    );
  });
});
