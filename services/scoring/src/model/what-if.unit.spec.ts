import { describe, expect, it } from 'vitest';
import { scoringRuleSetSchema } from './rule-set.schema.ts';
import type { ScoringRuleSetInput } from './rule-set.schema.ts';
import { activity, lead, now } from './scoring-input.fixture.ts';
import { compareRuleSets } from './what-if.ts';
import type { WhatIfLead } from './what-if.ts';

// Weights put everything on fit, so a lead's score is its fit points.
function fitOnly(rules: ScoringRuleSetInput['fit']['rules']) {
  return scoringRuleSetSchema.parse({
    fit: { rules },
    engagement: { activities: {} },
    weights: { fit: 1, engagement: 0, predictive: 0 },
  });
}

// Current: software leads qualify. Candidate: large companies qualify.
const current = fitOnly([
  { id: 'software', label: 'Software', field: 'company.industry', operator: 'equals', value: 'software', points: 60 },
]);
const candidate = fitOnly([
  { id: 'large', label: 'Large', field: 'company.size', operator: 'gte', value: 1000, points: 60 },
]);

function pastLead(company: { industry?: string; size?: number }, outcome: WhatIfLead['outcome']): WhatIfLead {
  return { input: lead({ company, activities: [activity('demo_requested')] }), outcome, scoredAt: now };
}

const sample: WhatIfLead[] = [
  pastLead({ industry: 'software', size: 5000 }, 'won'), // both
  pastLead({ industry: 'software', size: 10 }, 'won'), // current only
  pastLead({ industry: 'software', size: 20 }, 'lost'), // current only
  pastLead({ industry: 'retail', size: 2000 }, 'won'), // candidate only
  pastLead({ industry: 'retail', size: 3000 }, 'open'), // candidate only
  pastLead({ industry: 'retail', size: 30 }, 'lost'), // neither
];

describe('compareRuleSets', () => {
  const comparison = compareRuleSets({ sample, current, candidate });

  it('counts the MQLs of each rule set and how they ended', () => {
    expect(comparison.current).toEqual({ mql: 3, wonAmongMql: 2, lostAmongMql: 1, conversionRate: 2 / 3 });
    expect(comparison.candidate).toEqual({ mql: 3, wonAmongMql: 2, lostAmongMql: 0, conversionRate: 1 });
  });

  it('counts the leads that change sides', () => {
    expect(comparison).toMatchObject({ newlyQualified: 2, noLongerQualified: 2 });
  });

  it('counts the won leads the candidate would miss and gain', () => {
    expect(comparison).toMatchObject({ wonLeadsMissedByCandidate: 1, wonLeadsGainedByCandidate: 1 });
  });

  it('has no conversion rate when no MQL closed', () => {
    const open = [pastLead({ industry: 'software' }, 'open')];
    expect(compareRuleSets({ sample: open, current, candidate }).current).toEqual({
      mql: 1,
      wonAmongMql: 0,
      lostAmongMql: 0,
      conversionRate: null,
    });
  });

  it('scores each lead as of its own time', () => {
    const engaged = scoringRuleSetSchema.parse({
      fit: { rules: [] },
      engagement: { halfLifeDays: 7, activities: { demo_requested: { points: 80, cap: 80 } } },
      weights: { fit: 0, engagement: 1, predictive: 0 },
    });
    // The same demo request is worth 80 on its day and 40 a week later.
    const sameDay = { ...pastLead({}, 'won'), scoredAt: now };
    const weekLater = { ...pastLead({}, 'won'), scoredAt: new Date(now.getTime() + 7 * 86_400_000) };
    const result = compareRuleSets({ sample: [sameDay, weekLater], current: engaged, candidate: engaged });
    expect(result.current.mql).toBe(1);
  });
});
