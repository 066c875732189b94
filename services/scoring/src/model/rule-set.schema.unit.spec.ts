import { describe, expect, it } from 'vitest';
import { fieldErrorOf } from '@l2o/service-kit';
import { defaultScoringRuleSet } from './default-rule-set.ts';
import { scoringRuleSetSchema } from './rule-set.schema.ts';
import type { ScoringRuleSetInput } from './rule-set.schema.ts';

const minimal: ScoringRuleSetInput = {
  fit: { rules: [{ id: 'vp', label: 'VP', field: 'contact.seniority', operator: 'equals', value: 'vp', points: 20 }] },
  engagement: { activities: { demo_requested: { points: 30, cap: 30 } } },
};

function issuePaths(input: unknown): string[] {
  const result = scoringRuleSetSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

describe('scoringRuleSetSchema', () => {
  it('fills in the defaults', () => {
    const ruleSet = scoringRuleSetSchema.parse(minimal);
    expect(ruleSet.engagement.halfLifeDays).toBe(14);
    expect(ruleSet.predictive).toEqual({ enabled: false, minOutcomes: 30, minPerClass: 5, smoothing: 1, features: [] });
    expect(ruleSet.weights).toEqual({ fit: 0.5, engagement: 0.3, predictive: 0.2 });
    expect(ruleSet.grades).toEqual({ A: 80, B: 60, C: 40 });
    expect(ruleSet.mql).toEqual({ threshold: 60, revokeBelow: null });
  });

  it('accepts the default rule set as data', () => {
    expect(scoringRuleSetSchema.parse(JSON.parse(JSON.stringify(defaultScoringRuleSet)))).toEqual(
      defaultScoringRuleSet,
    );
  });

  it('accepts a custom field path', () => {
    const rules = [{ id: 'b', label: 'Budget', field: 'customFields.budget', operator: 'exists', points: 10 }];
    expect(issuePaths({ ...minimal, fit: { rules } })).toEqual([]);
  });

  it.each([
    ['label', { label: 'VP\u0000' }, 'fit.rules.0.label'],
    ['id', { id: '\ud800' }, 'fit.rules.0.id'],
    ['value', { value: 'vp\udc00' }, 'fit.rules.0.value'],
    ['a custom field path', { field: 'customFields.seats\u0000' }, 'fit.rules.0.field'],
  ])('refuses a NUL or lone surrogate in the %s of a rule, saying why', (_name, change, path) => {
    const rules = [{ ...minimal.fit.rules[0], ...change }];
    const issues = scoringRuleSetSchema.safeParse({ ...minimal, fit: { rules } }).error?.issues ?? [];
    // As the route answers it: service-kit names the reason a union refused the value for.
    expect(issues.map((issue) => fieldErrorOf(issue, 'body'))).toEqual([
      { field: path, reason: expect.stringMatching(/^contains a (NUL character|lone surrogate)/) },
    ]);
  });

  it('refuses a field it cannot read', () => {
    const rules = [{ id: 'e', label: 'Big', field: 'company.employees', operator: 'gte', value: 1000, points: 10 }];
    expect(issuePaths({ ...minimal, fit: { rules } })).toEqual(['fit.rules.0.field']);
  });

  it('refuses a value of the wrong kind for its operator', () => {
    const rules = [{ id: 'e', label: 'Big', field: 'company.size', operator: 'gte', value: 'large', points: 10 }];
    expect(issuePaths({ ...minimal, fit: { rules } })).toEqual(['fit.rules.0.value']);
  });

  it('refuses a range whose lower bound exceeds its upper bound', () => {
    const rules = [{ id: 'm', label: 'Mid', field: 'company.size', operator: 'between', value: [999, 200], points: 5 }];
    expect(issuePaths({ ...minimal, fit: { rules } })).toEqual(['fit.rules.0.value']);
  });

  it('refuses two rules with one id', () => {
    const rule = { id: 'x', label: 'X', field: 'company.country', operator: 'equals', value: 'US', points: 5 };
    expect(issuePaths({ ...minimal, fit: { rules: [rule, rule] } })).toEqual(['fit.rules']);
  });

  it('refuses an activity type the contract does not know', () => {
    const engagement = { activities: { podcast_listened: { points: 5, cap: 5 } } };
    expect(issuePaths({ ...minimal, engagement })).not.toEqual([]);
  });

  it('refuses an enabled predictive model without features', () => {
    expect(issuePaths({ ...minimal, predictive: { enabled: true } })).toEqual(['predictive.features']);
  });

  it('refuses grade thresholds out of order', () => {
    expect(issuePaths({ ...minimal, grades: { A: 50, B: 60, C: 40 } })).toEqual(['grades']);
  });

  it('refuses a revocation level above the MQL threshold', () => {
    expect(issuePaths({ ...minimal, mql: { threshold: 60, revokeBelow: 70 } })).toEqual(['mql.revokeBelow']);
  });

  it('refuses weights that leave nothing without a prediction', () => {
    expect(issuePaths({ ...minimal, weights: { fit: 0, engagement: 0, predictive: 1 } })).toEqual(['weights']);
  });
});
