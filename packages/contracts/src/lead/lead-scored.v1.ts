import { z } from 'zod';
import { positiveCountSchema } from '../bounded-numbers.ts';
import { leadGrades, leadRefShape, scoreSchema } from './lead-lifecycle-parts.ts';
import { isoDateTime, text } from './lead-schema-parts.ts';

/** The three parts a score is made of. */
export const leadScoreParts = ['fit', 'engagement', 'predictive'] as const;
export type LeadScorePart = (typeof leadScoreParts)[number];

/** What made scoring run again. */
export const leadScoringTriggers = [
  'captured',
  'profile_updated',
  'activity',
  'decay',
  'rules_changed',
  'model_updated',
  'merged',
] as const;
export type LeadScoringTrigger = (typeof leadScoringTriggers)[number];

/** One line of a score's explanation: which rule or signal gave how many points. */
export const leadScoreContributionSchema = z.object({
  part: z.enum(leadScoreParts),
  ruleId: text(100)
    .describe('The rule (fit), activity type (engagement) or feature (predictive) behind the points.')
    .optional(),
  label: text(300).describe('The explanation a rep reads: "VP or C-level title", "pricing page viewed ×2".'),
  points: z.number().finite().describe('Points within the part, before the part is weighted; may be negative.'),
});
export type LeadScoreContribution = z.output<typeof leadScoreContributionSchema>;

/** A part of the score on 0–100, to one decimal. */
const componentSchema = z.number().min(0).max(100);

/** Data of `LeadScored` version 1: a lead's score changed, with everything needed to explain it. */
export const leadScoredV1Schema = z
  .object({
    ...leadRefShape,
    scoredAt: isoDateTime,
    score: scoreSchema.describe('The combined score, 0–100.'),
    grade: z.enum(leadGrades),
    previousScore: scoreSchema.optional(),
    components: z
      .object({
        fit: componentSchema,
        engagement: componentSchema,
        predictive: componentSchema
          .nullable()
          .describe('null when the tenant has too few closed outcomes to learn from.'),
      })
      .describe('Each part on 0–100 before weighting.'),
    breakdown: z.array(leadScoreContributionSchema).max(200),
    ruleSetVersion: positiveCountSchema.describe('The version of the tenant’s scoring rule set that was used.'),
    trigger: z.enum(leadScoringTriggers),
  })
  .describe('A lead was scored and its score or grade changed.');

export type LeadScoredV1 = z.output<typeof leadScoredV1Schema>;

export const leadScoredV1Example: LeadScoredV1 = {
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 'acme',
  scoredAt: '2025-04-03T08:15:03.000Z',
  score: 72,
  grade: 'B',
  previousScore: 41,
  components: { fit: 80, engagement: 55, predictive: null },
  breakdown: [
    { part: 'fit', ruleId: 'title-vp', label: 'VP or C-level title', points: 30 },
    { part: 'fit', ruleId: 'employees-1000', label: 'Company of 1,000 or more people', points: 25 },
    { part: 'engagement', ruleId: 'pricing_page_view', label: 'Pricing page viewed ×1', points: 15 },
    { part: 'predictive', label: 'Not enough closed outcomes yet (12 of 30)', points: 0 },
  ],
  ruleSetVersion: 3,
  trigger: 'activity',
};
