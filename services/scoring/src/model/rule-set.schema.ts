import {
  boundedInt,
  fractionalDaysSchema,
  leadActivityTypes,
  maxSettingCount,
  refuseUnstorableText,
  scoreSchema,
  storableString,
  weightSchema,
} from '@l2o/contracts';
import { z } from 'zod';
import { knownFieldPaths } from './scoring-input.ts';

/** A field a rule or a feature reads: a known path or `customFields.<name>`. */
export const fieldPathSchema = z
  .union([z.enum(knownFieldPaths), z.templateLiteral(['customFields.', z.string().min(1).max(64)])])
  // On the union, not in it: a refused branch would only report "Invalid input".
  .check(refuseUnstorableText)
  .describe('A lead field such as company.industry, contact.seniority or customFields.budget.');

const scalar = z.union([storableString().min(1).max(200), z.number(), z.boolean()]);

const ruleBase = {
  id: storableString().min(1).max(64).describe('Stable id, shown in every score breakdown.'),
  label: storableString().min(1).max(200).describe('What a rep reads in the breakdown.'),
  field: fieldPathSchema,
  points: z.number().min(-100).max(100).describe('Fit points when the rule matches; negative to penalise.'),
};

/** One attribute rule of the fit score; strings match case-insensitively. */
export const fitRuleSchema = z.discriminatedUnion('operator', [
  z.object({ ...ruleBase, operator: z.literal('equals'), value: scalar }),
  z.object({ ...ruleBase, operator: z.literal('in'), value: z.array(scalar).min(1).max(500) }),
  z.object({
    ...ruleBase,
    operator: z.literal('contains'),
    value: z.union([storableString().min(1).max(200), z.array(storableString().min(1).max(200)).min(1).max(500)]),
  }),
  z.object({ ...ruleBase, operator: z.literal('gte'), value: z.number() }),
  z.object({ ...ruleBase, operator: z.literal('lte'), value: z.number() }),
  z.object({
    ...ruleBase,
    operator: z.literal('between'),
    value: z
      .tuple([z.number(), z.number()])
      .refine(([min, max]) => min <= max, { message: 'the lower bound must not exceed the upper bound' })
      .describe('Inclusive [min, max].'),
  }),
  z.object({ ...ruleBase, operator: z.literal('exists') }),
]);
export type FitRule = z.output<typeof fitRuleSchema>;
export type FitOperator = FitRule['operator'];

const settingCount = boundedInt({ min: 1, max: maxSettingCount });

const activityPointsSchema = z.object({
  points: z.number().min(0).max(100).describe('Points of one activity when it happens now.'),
  cap: z.number().min(0).max(100).describe('Most points all activities of this type give together, after decay.'),
});

const engagementSchema = z.object({
  halfLifeDays: fractionalDaysSchema.default(14),
  activities: z.partialRecord(z.enum(leadActivityTypes), activityPointsSchema),
});
export type EngagementConfig = z.output<typeof engagementSchema>;

const predictiveSchema = z
  .object({
    enabled: z.boolean().default(false),
    minOutcomes: settingCount.default(30).describe('Closed (won or lost) leads needed before the model is used.'),
    minPerClass: settingCount.default(5).describe('Won leads and lost leads each needed.'),
    smoothing: z.number().positive().max(100).default(1).describe('Laplace smoothing alpha.'),
    features: z.array(fieldPathSchema).max(50).default([]),
  })
  .refine((predictive) => !predictive.enabled || predictive.features.length > 0, {
    message: 'an enabled predictive model needs at least one feature',
    path: ['features'],
  });
export type PredictiveConfig = z.output<typeof predictiveSchema>;

const weightsSchema = z
  .object({
    fit: weightSchema.default(0.5),
    engagement: weightSchema.default(0.3),
    predictive: weightSchema.default(0.2),
  })
  // Without predictive history the score falls back to fit and engagement, so they cannot both be zero.
  .refine((weights) => weights.fit + weights.engagement > 0, { message: 'fit and engagement cannot both weigh 0' });

const gradesSchema = z
  .object({
    A: z.number().min(0).max(100).default(80),
    B: z.number().min(0).max(100).default(60),
    C: z.number().min(0).max(100).default(40),
  })
  .refine((grades) => grades.A >= grades.B && grades.B >= grades.C, { message: 'thresholds must satisfy A ≥ B ≥ C' });

const mqlSchema = z
  .object({
    // Whole scores: LeadQualified and LeadQualificationRevoked carry them, and every consumer refuses a fraction.
    threshold: scoreSchema.default(60),
    revokeBelow: scoreSchema
      .nullable()
      .default(null)
      .describe('An MQL whose score drops below this loses the status; null keeps it.'),
  })
  .refine((mql) => mql.revokeBelow === null || mql.revokeBelow <= mql.threshold, {
    message: 'revokeBelow must not exceed the threshold',
    path: ['revokeBelow'],
  });
export type MqlConfig = z.output<typeof mqlSchema>;

/**
 * A tenant's scoring rule set. It is data: the admin API validates it with this schema and stores
 * each change as a new version, so a score can name the rules that produced it.
 */
export const scoringRuleSetSchema = z.object({
  fit: z.object({
    rules: z
      .array(fitRuleSchema)
      .max(500)
      .refine((rules) => new Set(rules.map((rule) => rule.id)).size === rules.length, {
        message: 'rule ids must be unique',
      }),
  }),
  engagement: engagementSchema,
  predictive: predictiveSchema.prefault({}),
  weights: weightsSchema.prefault({}),
  grades: gradesSchema.prefault({}),
  mql: mqlSchema.prefault({}),
});

/** A validated rule set, defaults filled in. */
export type ScoringRuleSet = z.output<typeof scoringRuleSetSchema>;
/** A rule set as an admin writes it, defaults optional. */
export type ScoringRuleSetInput = z.input<typeof scoringRuleSetSchema>;
