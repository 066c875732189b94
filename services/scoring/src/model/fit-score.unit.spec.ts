import { describe, expect, it } from 'vitest';
import { ruleMatches, scoreFit } from './fit-score.ts';
import { fitRuleSchema } from './rule-set.schema.ts';
import type { FitRule } from './rule-set.schema.ts';
import { lead } from './scoring-input.fixture.ts';

function rule(fields: Record<string, unknown>): FitRule {
  return fitRuleSchema.parse({ id: 'r', label: 'rule', field: 'company.industry', points: 10, ...fields });
}

describe('fit rules', () => {
  describe('equals', () => {
    it('matches strings whatever their case and surrounding spaces', () => {
      expect(ruleMatches(rule({ operator: 'equals', value: 'Software' }), '  software ')).toBe(true);
    });

    it('does not match another string', () => {
      expect(ruleMatches(rule({ operator: 'equals', value: 'Software' }), 'Retail')).toBe(false);
    });

    it('matches a number written as text', () => {
      expect(ruleMatches(rule({ operator: 'equals', value: 25 }), '25')).toBe(true);
    });

    it('matches a boolean', () => {
      expect(ruleMatches(rule({ operator: 'equals', value: true }), true)).toBe(true);
      expect(ruleMatches(rule({ operator: 'equals', value: true }), false)).toBe(false);
    });
  });

  it('in matches any listed value, case-insensitively', () => {
    const inList = rule({ operator: 'in', value: ['US', 'GB'] });
    expect(ruleMatches(inList, 'gb')).toBe(true);
    expect(ruleMatches(inList, 'DE')).toBe(false);
  });

  it('contains matches a substring, case-insensitively', () => {
    expect(ruleMatches(rule({ operator: 'contains', value: 'software' }), 'Computer Software')).toBe(true);
    expect(ruleMatches(rule({ operator: 'contains', value: 'software' }), 'Hardware')).toBe(false);
  });

  it('contains with a list matches any of its substrings', () => {
    expect(ruleMatches(rule({ operator: 'contains', value: ['bank', 'fintech'] }), 'Retail Banking')).toBe(true);
  });

  it('gte and lte include their bound', () => {
    expect(ruleMatches(rule({ operator: 'gte', value: 1000 }), 1000)).toBe(true);
    expect(ruleMatches(rule({ operator: 'gte', value: 1000 }), 999)).toBe(false);
    expect(ruleMatches(rule({ operator: 'lte', value: 49 }), 49)).toBe(true);
    expect(ruleMatches(rule({ operator: 'lte', value: 49 }), 50)).toBe(false);
  });

  it('between includes both bounds', () => {
    const between = rule({ operator: 'between', value: [200, 999] });
    expect([199, 200, 999, 1000].map((size) => ruleMatches(between, size))).toEqual([false, true, true, false]);
  });

  it('compares a number written as text by value', () => {
    expect(ruleMatches(rule({ operator: 'gte', value: 10000 }), '25000')).toBe(true);
  });

  it('does not compare text that is not a number', () => {
    expect(ruleMatches(rule({ operator: 'gte', value: 0 }), 'large')).toBe(false);
  });

  it('exists matches any value but null and blank text', () => {
    const exists = rule({ operator: 'exists' });
    expect([0, false, 'x', null, '', '  ', undefined].map((value) => ruleMatches(exists, value))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it('no other operator matches a missing value', () => {
    expect(ruleMatches(rule({ operator: 'lte', value: 100 }), undefined)).toBe(false);
    expect(ruleMatches(rule({ operator: 'equals', value: 'x' }), null)).toBe(false);
  });
});

describe('scoreFit', () => {
  const rules = [
    rule({ id: 'vp', label: 'VP title', field: 'contact.seniority', operator: 'equals', value: 'vp', points: 30 }),
    rule({ id: 'big', label: 'Large company', field: 'company.size', operator: 'gte', value: 1000, points: 25 }),
    rule({
      id: 'free',
      label: 'Personal email',
      field: 'contact.emailDomain',
      operator: 'in',
      value: ['gmail.com'],
      points: -20,
    }),
    rule({ id: 'budget', label: 'Budget', field: 'customFields.budget', operator: 'exists', points: 15 }),
  ];

  it('sums the points of the matching rules and names each one', () => {
    const input = lead({ contact: { jobTitle: 'VP Sales' }, company: { size: 5000 }, customFields: { budget: 1 } });
    expect(scoreFit(input, rules)).toEqual({
      points: 70,
      contributions: [
        { ruleId: 'vp', label: 'VP title', points: 30 },
        { ruleId: 'big', label: 'Large company', points: 25 },
        { ruleId: 'budget', label: 'Budget', points: 15 },
      ],
    });
  });

  it('subtracts negative points', () => {
    const input = lead({ contact: { jobTitle: 'VP Sales', email: 'vp@gmail.com' } });
    expect(scoreFit(input, rules).points).toBe(10);
  });

  it('never goes below 0, yet lists the penalty', () => {
    const result = scoreFit(lead({ contact: { email: 'someone@gmail.com' } }), rules);
    expect(result).toEqual({ points: 0, contributions: [{ ruleId: 'free', label: 'Personal email', points: -20 }] });
  });

  it('never goes above 100', () => {
    const generous = [0, 1, 2].map((index) => rule({ id: `r${index}`, operator: 'exists', points: 40 }));
    expect(scoreFit(lead({ company: { industry: 'Software' } }), generous).points).toBe(100);
  });
});
