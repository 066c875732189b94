import { scoreEngagement } from './engagement-score.ts';
import { scoreFit } from './fit-score.ts';
import { featuresOf } from './lead-features.ts';
import { emptyModel, predict } from './naive-bayes.ts';
import type { Evidence, NaiveBayesModel, Prediction } from './naive-bayes.ts';
import { roundHalfUp } from './round-half-up.ts';
import type { ScoringRuleSet } from './rule-set.schema.ts';
import type { ScoringInput } from './scoring-input.ts';

export type Grade = 'A' | 'B' | 'C' | 'D';

/** One line of a score's explanation: what a rule, an activity type or the model gave to its part. */
export type ScoreLine = { part: 'fit' | 'engagement' | 'predictive'; ruleId?: string; label: string; points: number };

/** A lead's score with the parts it is made of and the lines that explain them. */
export type LeadScore = {
  /** Integer 0..100, the weighted mean of the available components. */
  score: number;
  grade: Grade;
  /** Each part 0..100, to one decimal; `predictive` is `null` when the model was not used. */
  components: { fit: number; engagement: number; predictive: number | null };
  breakdown: ScoreLine[];
};

const shownEvidence = 3;

/** The grade of a score: A, B or C from the highest threshold it reaches, D below them all. */
export function gradeOf(score: number, grades: ScoringRuleSet['grades']): Grade {
  if (score >= grades.A) return 'A';
  if (score >= grades.B) return 'B';
  return score >= grades.C ? 'C' : 'D';
}

function describeEvidence(evidence: readonly Evidence[]): string {
  const telling = evidence
    .filter((item) => Math.abs(Math.log(item.likelihoodRatio)) > 1e-9)
    .sort((a, b) => Math.abs(Math.log(b.likelihoodRatio)) - Math.abs(Math.log(a.likelihoodRatio)))
    .slice(0, shownEvidence)
    .map((item) => `${item.feature} = ${item.value} ×${roundHalfUp(item.likelihoodRatio, 2)}`);
  return telling.length === 0 ? '' : `; win odds ${telling.join(', ')}`;
}

function predictiveLine(prediction: Prediction | undefined, ruleSet: ScoringRuleSet): ScoreLine {
  const { minOutcomes, minPerClass } = ruleSet.predictive;
  if (prediction === undefined) return { part: 'predictive', label: 'predictive: disabled', points: 0 };
  if (prediction.insufficient) {
    const label =
      prediction.outcomes < minOutcomes
        ? `predictive: not enough closed outcomes (${prediction.outcomes} of ${minOutcomes})`
        : `predictive: not enough won and lost outcomes (${prediction.won} won, ${prediction.lost} lost; ${minPerClass} of each needed)`;
    return { part: 'predictive', label, points: 0 };
  }
  const percent = roundHalfUp(prediction.probability * 100, 1);
  return {
    part: 'predictive',
    label: `predictive: ${percent}% win probability from ${prediction.outcomes} closed outcomes${describeEvidence(prediction.evidence)}`,
    points: percent,
  };
}

/**
 * Scores a lead with a tenant's rule set at `now`: fit, engagement and, once the model has seen
 * enough closed outcomes, the predicted win probability, combined by the rule set's weights.
 * Without a prediction the weights of fit and engagement are scaled up to fill its share.
 */
export function scoreLead(options: {
  input: ScoringInput;
  ruleSet: ScoringRuleSet;
  model?: NaiveBayesModel | undefined;
  now: Date;
}): LeadScore {
  const { input, ruleSet, now } = options;
  const fit = scoreFit(input, ruleSet.fit.rules);
  const engagement = scoreEngagement({ activities: input.activities, config: ruleSet.engagement, now });
  const prediction = ruleSet.predictive.enabled
    ? predict({
        model: options.model ?? emptyModel(),
        features: featuresOf(input, ruleSet.predictive.features),
        settings: ruleSet.predictive,
      })
    : undefined;
  const predictive = prediction === undefined || prediction.insufficient ? null : prediction.probability * 100;

  const { weights } = ruleSet;
  const parts = [
    { weight: weights.fit, points: fit.points },
    { weight: weights.engagement, points: engagement.points },
    ...(predictive === null ? [] : [{ weight: weights.predictive, points: predictive }]),
  ];
  const totalWeight = parts.reduce((sum, part) => sum + part.weight, 0);
  const weighted = parts.reduce((sum, part) => sum + part.weight * part.points, 0);
  const score = totalWeight === 0 ? 0 : roundHalfUp(weighted / totalWeight);

  return {
    score,
    grade: gradeOf(score, ruleSet.grades),
    components: {
      fit: roundHalfUp(fit.points, 1),
      engagement: roundHalfUp(engagement.points, 1),
      predictive: predictive === null ? null : roundHalfUp(predictive, 1),
    },
    breakdown: [
      ...fit.contributions.map((line) => ({ part: 'fit' as const, ...line })),
      ...engagement.contributions.map((line) => ({
        part: 'engagement' as const,
        ruleId: line.activityType,
        label: line.label,
        points: roundHalfUp(line.points, 1),
      })),
      predictiveLine(prediction, ruleSet),
    ],
  };
}
