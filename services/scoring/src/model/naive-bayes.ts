import type { PredictiveConfig } from './rule-set.schema.ts';

/** How a closed lead ended. */
export type Outcome = 'won' | 'lost';

/** Closed leads of each outcome. */
export type OutcomeCounts = { won: number; lost: number };

/** A lead described as string features, e.g. `{ 'company.industry': 'software' }`. */
export type LeadFeatures = Readonly<Record<string, string>>;

/**
 * A tenant's naive Bayes model as plain JSON: closed leads per outcome and, per feature and
 * value, how many won and lost leads had it. A feature's vocabulary is the values it has seen.
 */
export type NaiveBayesModel = OutcomeCounts & {
  counts: Readonly<Record<string, Readonly<Record<string, OutcomeCounts>>>>;
};

/** What the model needs to predict, as the rule set's predictive block holds it. */
export type PredictSettings = Pick<PredictiveConfig, 'smoothing' | 'minOutcomes' | 'minPerClass'>;

/** How one feature value moves the odds: P(value | won) / P(value | lost). */
export type Evidence = { feature: string; value: string; likelihoodRatio: number };

/** The probability that a lead is won, or why the model cannot tell yet. */
export type Prediction =
  | { insufficient: false; probability: number; outcomes: number; evidence: Evidence[] }
  | { insufficient: true; outcomes: number; won: number; lost: number };

/** A model that has learnt nothing. */
export function emptyModel(): NaiveBayesModel {
  return { won: 0, lost: 0, counts: {} };
}

// Feature names and values come from tenants' data and may be `__proto__`: own properties only.
function own<Value>(record: Readonly<Record<string, Value>>, key: string): Value | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The model after one more closed lead; the given model is left unchanged. */
export function learn(model: NaiveBayesModel, example: { features: LeadFeatures; outcome: Outcome }): NaiveBayesModel {
  const { features, outcome } = example;
  const updated = Object.entries(features).map(([feature, value]) => {
    const values = own(model.counts, feature) ?? {};
    const seen = own(values, value) ?? { won: 0, lost: 0 };
    return [feature, { ...values, [value]: { ...seen, [outcome]: seen[outcome] + 1 } }] as const;
  });
  // Object.fromEntries and computed keys define own properties, where `counts[feature] = …` would
  // set the prototype of `counts` for a feature named `__proto__`.
  const counts = { ...model.counts, ...Object.fromEntries(updated) };
  return { ...model, [outcome]: model[outcome] + 1, counts };
}

/**
 * Laplace-smoothed P(value | outcome) of one feature: (n(value, outcome) + α) / (n(outcome) + α·|V|),
 * where |V| is the values seen plus one for a value never seen. n(outcome) counts the leads that
 * had the feature, which is every closed lead unless the feature was added to the rule set later.
 */
function likelihood(options: {
  values: Readonly<Record<string, OutcomeCounts>>;
  value: string;
  outcome: Outcome;
  alpha: number;
}): number {
  const { values, value, outcome, alpha } = options;
  const known = Object.values(values);
  const total = known.reduce((sum, counts) => sum + counts[outcome], 0);
  const count = own(values, value)?.[outcome] ?? 0;
  return (count + alpha) / (total + alpha * (known.length + 1));
}

/**
 * The probability that a lead with these features is won, with each feature's likelihood ratio.
 * Too few closed leads, or too few of either outcome, give `insufficient` so the caller falls back
 * to its rules.
 */
export function predict(options: {
  model: NaiveBayesModel;
  features: LeadFeatures;
  settings: PredictSettings;
}): Prediction {
  const { model, features, settings } = options;
  const outcomes = model.won + model.lost;
  const tooFew = Math.min(model.won, model.lost) < Math.max(1, settings.minPerClass);
  if (outcomes < settings.minOutcomes || tooFew) {
    return { insufficient: true, outcomes, won: model.won, lost: model.lost };
  }
  // Log space keeps a product of many small likelihoods from underflowing.
  let logOdds = Math.log(model.won) - Math.log(model.lost);
  const evidence = Object.entries(features).map(([feature, value]) => {
    const values = own(model.counts, feature) ?? {};
    const alpha = settings.smoothing;
    const logRatio =
      Math.log(likelihood({ values, value, outcome: 'won', alpha })) -
      Math.log(likelihood({ values, value, outcome: 'lost', alpha }));
    logOdds += logRatio;
    return { feature, value, likelihoodRatio: Math.exp(logRatio) };
  });
  return { insufficient: false, probability: 1 / (1 + Math.exp(-logOdds)), outcomes, evidence };
}
