export { scoringRuleSetSchema, fitRuleSchema, fieldPathSchema } from './rule-set.schema.ts';
export type {
  EngagementConfig,
  FitOperator,
  FitRule,
  MqlConfig,
  PredictiveConfig,
  ScoringRuleSet,
  ScoringRuleSetInput,
} from './rule-set.schema.ts';
export { defaultScoringRuleSet } from './default-rule-set.ts';
export { fieldValue, knownFieldPaths } from './scoring-input.ts';
export type { FieldPath, KnownFieldPath, ScoringActivity, ScoringInput, ScoringProfile } from './scoring-input.ts';
export { seniorities, seniorityOf } from './seniority.ts';
export type { Seniority } from './seniority.ts';
export { ruleMatches, scoreFit } from './fit-score.ts';
export type { FitContribution, FitScore } from './fit-score.ts';
export { decayFactor, scoreEngagement } from './engagement-score.ts';
export type { EngagementContribution, EngagementScore } from './engagement-score.ts';
export { emptyModel, learn, predict } from './naive-bayes.ts';
export type {
  Evidence,
  LeadFeatures,
  NaiveBayesModel,
  Outcome,
  OutcomeCounts,
  PredictSettings,
  Prediction,
} from './naive-bayes.ts';
export { employeeBand, featuresOf, unknownFeatureValue } from './lead-features.ts';
export { gradeOf, scoreLead } from './combined-score.ts';
export type { Grade, LeadScore, ScoreLine } from './combined-score.ts';
export { isMqlAfter } from './mql-status.ts';
export { compareRuleSets } from './what-if.ts';
export type { MqlSummary, RuleSetComparison, WhatIfLead } from './what-if.ts';
export { roundHalfUp } from './round-half-up.ts';
