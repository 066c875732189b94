import type { LeadScalar } from '@l2o/contracts';
import { clamp } from './round-half-up.ts';
import type { FitRule } from './rule-set.schema.ts';
import { isPresent, normalizeText, numberOf, sameScalar } from './scalar-value.ts';
import { fieldValue } from './scoring-input.ts';
import type { ScoringInput } from './scoring-input.ts';

/** What one matching rule gave. */
export type FitContribution = { ruleId: string; label: string; points: number };

/** The fit score: matching rules' points summed and kept within 0..100. */
export type FitScore = { points: number; contributions: FitContribution[] };

function numberInRange(value: LeadScalar | undefined, min: number, max: number): boolean {
  const number = numberOf(value);
  return number !== undefined && number >= min && number <= max;
}

/** Whether a rule matches a field value; strings compare case-insensitively. */
export function ruleMatches(rule: FitRule, value: LeadScalar | undefined): boolean {
  if (rule.operator === 'exists') return isPresent(value);
  if (!isPresent(value)) return false;
  switch (rule.operator) {
    case 'equals':
      return sameScalar(value, rule.value);
    case 'in':
      return rule.value.some((candidate) => sameScalar(value, candidate));
    case 'contains': {
      const text = normalizeText(String(value));
      const needles = typeof rule.value === 'string' ? [rule.value] : rule.value;
      return needles.some((needle) => text.includes(normalizeText(needle)));
    }
    case 'gte':
      return numberInRange(value, rule.value, Number.POSITIVE_INFINITY);
    case 'lte':
      return numberInRange(value, Number.NEGATIVE_INFINITY, rule.value);
    case 'between':
      return numberInRange(value, rule.value[0], rule.value[1]);
    default: {
      const unknown: never = rule;
      throw new Error(`unknown fit operator: ${JSON.stringify(unknown)}`);
    }
  }
}

/** How well a lead's profile matches the tenant's ideal customer, from its attribute rules. */
export function scoreFit(input: Pick<ScoringInput, 'profile' | 'firstTouch'>, rules: readonly FitRule[]): FitScore {
  const contributions = rules
    .filter((rule) => ruleMatches(rule, fieldValue(input, rule.field)))
    .map((rule) => ({ ruleId: rule.id, label: rule.label, points: rule.points }));
  const sum = contributions.reduce((total, contribution) => total + contribution.points, 0);
  return { points: clamp(sum, 0, 100), contributions };
}
