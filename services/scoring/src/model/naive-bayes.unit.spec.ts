import { describe, expect, it } from 'vitest';
import { emptyModel, learn, predict } from './naive-bayes.ts';
import type { LeadFeatures, NaiveBayesModel, Outcome } from './naive-bayes.ts';

const settings = { smoothing: 1, minOutcomes: 10, minPerClass: 4 };

function trained(examples: readonly (readonly [string, string, Outcome])[]): NaiveBayesModel {
  return examples.reduce(
    (model, [industry, size, outcome]) => learn(model, { features: { industry, size }, outcome }),
    emptyModel(),
  );
}

// Ten closed leads: 4 won, 6 lost.
const history: [string, string, Outcome][] = [
  ['software', '1000-4999', 'won'],
  ['software', '200-999', 'won'],
  ['software', '1000-4999', 'won'],
  ['retail', '1000-4999', 'won'],
  ['retail', '1-49', 'lost'],
  ['retail', '50-199', 'lost'],
  ['software', '1-49', 'lost'],
  ['retail', '1000-4999', 'lost'],
  ['retail', '1-49', 'lost'],
  ['healthcare', '50-199', 'lost'],
];

function probabilityOf(model: NaiveBayesModel, features: LeadFeatures): number {
  const prediction = predict({ model, features, settings });
  if (prediction.insufficient) throw new Error('expected a prediction');
  return prediction.probability;
}

describe('naive Bayes', () => {
  describe('the worked example', () => {
    // Priors: P(won) = 4/10, P(lost) = 6/10.
    // Vocabularies (values seen + 1 for unseen): industry {software, retail, healthcare} → 4;
    //   size {1000-4999, 200-999, 1-49, 50-199} → 5. Smoothing α = 1.
    // Lead: industry = software, size = 1000-4999.
    //   P(software | won)  = (3 + 1) / (4 + 1·4) = 4/8  = 0.5
    //   P(software | lost) = (1 + 1) / (6 + 1·4) = 2/10 = 0.2        ratio 2.5
    //   P(1000-4999 | won)  = (3 + 1) / (4 + 1·5) = 4/9
    //   P(1000-4999 | lost) = (1 + 1) / (6 + 1·5) = 2/11             ratio (4/9)/(2/11) = 22/9
    // Posterior odds = (4/6) · 2.5 · 22/9 = 110/27, so P(won | lead) = 110 / (110 + 27) = 110/137 ≈ 0.80292.
    const model = trained(history);

    it('gives the posterior computed by hand', () => {
      expect(probabilityOf(model, { industry: 'software', size: '1000-4999' })).toBeCloseTo(110 / 137, 12);
    });

    it('explains it by each feature’s likelihood ratio', () => {
      const prediction = predict({ model, features: { industry: 'software', size: '1000-4999' }, settings });
      expect(prediction).toMatchObject({
        insufficient: false,
        outcomes: 10,
        evidence: [
          { feature: 'industry', value: 'software', likelihoodRatio: expect.closeTo(2.5, 12) },
          { feature: 'size', value: '1000-4999', likelihoodRatio: expect.closeTo(22 / 9, 12) },
        ],
      });
    });

    it('smooths a value never seen', () => {
      // P(mining | won) = (0 + 1) / (4 + 4) = 1/8, P(mining | lost) = (0 + 1) / (6 + 4) = 1/10: ratio 1.25.
      // With size 200-999: P(· | won) = (1 + 1) / 9 = 2/9, P(· | lost) = (0 + 1) / 11 = 1/11: ratio 22/9.
      // Odds = (4/6) · 1.25 · 22/9 = 55/27, so P(won) = 55/82.
      expect(probabilityOf(model, { industry: 'mining', size: '200-999' })).toBeCloseTo(55 / 82, 12);
    });
  });

  it('learns without changing the model it was given', () => {
    const before = trained(history.slice(0, 3));
    const snapshot = structuredClone(before);
    learn(before, { features: { industry: 'software' }, outcome: 'lost' });
    expect(before).toEqual(snapshot);
  });

  it('keeps its state as plain JSON', () => {
    const model = trained(history);
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
    expect(probabilityOf(JSON.parse(JSON.stringify(model)), { industry: 'retail', size: '1-49' })).toBe(
      probabilityOf(model, { industry: 'retail', size: '1-49' }),
    );
  });

  it('counts a value named like an object property as a value', () => {
    const features = JSON.parse('{"__proto__": "__proto__", "constructor": "x"}') as LeadFeatures;
    const model = learn(emptyModel(), { features, outcome: 'won' });
    expect(Object.getPrototypeOf(model.counts)).toBe(Object.prototype);
    expect(model.counts['__proto__']?.['__proto__']).toEqual({ won: 1, lost: 0 });
    expect(JSON.parse(JSON.stringify(model)).counts.constructor).toEqual({ x: { won: 1, lost: 0 } });
  });

  describe('with too little history', () => {
    it('declines below the minimum of closed outcomes', () => {
      const model = trained(history.slice(0, 9));
      expect(predict({ model, features: { industry: 'software' }, settings })).toEqual({
        insufficient: true,
        outcomes: 9,
        won: 4,
        lost: 5,
      });
    });

    it('declines when one outcome has too few leads', () => {
      const lopsided = trained(history.map(([industry, size]) => [industry, size, 'lost'] as const).slice(0, 9));
      const model = learn(lopsided, { features: { industry: 'software' }, outcome: 'won' });
      expect(predict({ model, features: { industry: 'software' }, settings })).toMatchObject({
        insufficient: true,
        outcomes: 10,
      });
    });

    it('declines with no history at all', () => {
      expect(
        predict({ model: emptyModel(), features: {}, settings: { ...settings, minOutcomes: 0, minPerClass: 0 } }),
      ).toMatchObject({ insufficient: true, outcomes: 0 });
    });
  });
});
