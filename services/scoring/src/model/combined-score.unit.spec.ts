import { describe, expect, it } from 'vitest';
import { gradeOf, scoreLead } from './combined-score.ts';
import { defaultScoringRuleSet } from './default-rule-set.ts';
import { emptyModel, learn } from './naive-bayes.ts';
import { scoringRuleSetSchema } from './rule-set.schema.ts';
import type { ScoringRuleSetInput } from './rule-set.schema.ts';
import { activity, lead, now } from './scoring-input.fixture.ts';

const eightyFitPoints: ScoringRuleSetInput = {
  fit: {
    rules: [
      {
        id: 'software',
        label: 'Software',
        field: 'company.industry',
        operator: 'equals',
        value: 'software',
        points: 50,
      },
      { id: 'big', label: 'Large', field: 'company.size', operator: 'gte', value: 1000, points: 30 },
    ],
  },
  engagement: { halfLifeDays: 14, activities: { demo_requested: { points: 40, cap: 40 } } },
};

function ruleSet(overrides: Partial<ScoringRuleSetInput> = {}) {
  return scoringRuleSetSchema.parse({ ...eightyFitPoints, ...overrides });
}

const fitLead = lead({ company: { industry: 'Software', size: 2000 } });

// One won software lead and one lost retail lead: odds for software = (1/1) · ((1+1)/(1+3)) / ((0+1)/(1+3)) = 2,
// so P(won) = 2/3 and the predictive part is 66.7.
const model = [
  { features: { 'company.industry': 'software' }, outcome: 'won' as const },
  { features: { 'company.industry': 'retail' }, outcome: 'lost' as const },
].reduce(learn, emptyModel());
const predictive = { enabled: true, minOutcomes: 2, minPerClass: 1, features: ['company.industry' as const] };

describe('scoreLead', () => {
  describe('with the default rule set', () => {
    it('scores a VP at a large US software company who asked for a demo well above the MQL threshold', () => {
      const input = lead({
        contact: { email: 'vp@bigsoft.com', jobTitle: 'VP Sales' },
        company: { name: 'BigSoft', industry: 'Software', size: 5000, country: 'US' },
        activities: [activity('pricing_page_view'), activity('content_download'), activity('demo_requested')],
      });
      // Fit 30 + 25 + 25 + 10 = 90, engagement 15 + 10 + 30 = 55, no prediction yet:
      // (0.5 · 90 + 0.3 · 55) / 0.8 = 76.875 → 77.
      const result = scoreLead({ input, ruleSet: defaultScoringRuleSet, now });
      expect(result.score).toBe(77);
      expect(result.score).toBeGreaterThanOrEqual(defaultScoringRuleSet.mql.threshold + 15);
    });

    it('scores a bare personal-email lead without a company well below the MQL threshold', () => {
      const result = scoreLead({
        input: lead({ contact: { email: 'someone@gmail.com' } }),
        ruleSet: defaultScoringRuleSet,
        now,
      });
      expect(result).toMatchObject({ score: 0, grade: 'D' });
      expect(result.score).toBeLessThanOrEqual(defaultScoringRuleSet.mql.threshold - 40);
    });
  });

  it('weighs fit, engagement and prediction', () => {
    // (0.5 · 80 + 0.3 · 0 + 0.2 · 66.67) / 1.0 = 53.33 → 53.
    const result = scoreLead({ input: fitLead, ruleSet: ruleSet({ predictive }), model, now });
    expect(result).toMatchObject({ score: 53, components: { fit: 80, engagement: 0, predictive: 66.7 } });
  });

  it('explains the prediction by its strongest evidence', () => {
    const result = scoreLead({ input: fitLead, ruleSet: ruleSet({ predictive }), model, now });
    expect(result.breakdown.at(-1)).toEqual({
      part: 'predictive',
      label: 'predictive: 66.7% win probability from 2 closed outcomes; win odds company.industry = software ×2',
      points: 66.7,
    });
  });

  it('scales fit and engagement up when the model has too little history', () => {
    // (0.5 · 80 + 0.3 · 0) / 0.8 = 50.
    const result = scoreLead({
      input: fitLead,
      ruleSet: ruleSet({ predictive: { ...predictive, minOutcomes: 30 } }),
      model,
      now,
    });
    expect(result).toMatchObject({ score: 50, components: { predictive: null } });
    expect(result.breakdown.at(-1)).toEqual({
      part: 'predictive',
      label: 'predictive: not enough closed outcomes (2 of 30)',
      points: 0,
    });
  });

  it('says when one outcome has too few leads', () => {
    const result = scoreLead({
      input: fitLead,
      ruleSet: ruleSet({ predictive: { ...predictive, minPerClass: 5 } }),
      model,
      now,
    });
    expect(result.breakdown.at(-1)?.label).toBe(
      'predictive: not enough won and lost outcomes (1 won, 1 lost; 5 of each needed)',
    );
  });

  it('leaves the prediction out when the rule set disables it', () => {
    const result = scoreLead({ input: fitLead, ruleSet: ruleSet(), model, now });
    expect(result).toMatchObject({ score: 50, components: { predictive: null } });
    expect(result.breakdown.at(-1)).toEqual({ part: 'predictive', label: 'predictive: disabled', points: 0 });
  });

  it('names every rule and activity type that gave points', () => {
    const input = lead({ company: { industry: 'software', size: 2000 }, activities: [activity('demo_requested', 14)] });
    expect(scoreLead({ input, ruleSet: ruleSet(), now }).breakdown).toEqual([
      { part: 'fit', ruleId: 'software', label: 'Software', points: 50 },
      { part: 'fit', ruleId: 'big', label: 'Large', points: 30 },
      { part: 'engagement', ruleId: 'demo_requested', label: 'Demo requested × 1', points: 20 },
      { part: 'predictive', label: 'predictive: disabled', points: 0 },
    ]);
  });

  it('rounds a half point up', () => {
    // Fit 50 and engagement 5 weighed equally: 27.5 → 28.
    const input = lead({ company: { industry: 'software' }, activities: [activity('demo_requested')] });
    const halves = ruleSet({
      weights: { fit: 1, engagement: 1, predictive: 0 },
      engagement: { activities: { demo_requested: { points: 5, cap: 5 } } },
    });
    expect(scoreLead({ input, ruleSet: halves, now }).score).toBe(28);
  });

  it('grades the score by the rule set’s thresholds', () => {
    const result = scoreLead({ input: fitLead, ruleSet: ruleSet({ grades: { A: 90, B: 50, C: 10 } }), now });
    expect(result).toMatchObject({ score: 50, grade: 'B' });
  });
});

describe('gradeOf', () => {
  it('gives A, B, C from the highest threshold reached and D below them all', () => {
    const grades = { A: 80, B: 60, C: 40 };
    expect([100, 80, 79, 60, 59, 40, 39, 0].map((score) => gradeOf(score, grades))).toEqual([
      'A',
      'A',
      'B',
      'B',
      'C',
      'C',
      'D',
      'D',
    ]);
  });
});
