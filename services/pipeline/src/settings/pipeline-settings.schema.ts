import { z } from 'zod';
import { durationDaysSchema, forecastCategories, storableString, wholePercentSchema } from '@l2o/contracts';

const identifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, {
  error: 'expected 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit',
});
const label = (max: number) => storableString().trim().min(1).max(max);

/** One stage of a pipeline; its position is its place in the pipeline's list. */
export const pipelineStageSettingsSchema = z.object({
  id: identifier,
  name: label(200),
  probability: wholePercentSchema.describe('Default win probability in percent; the forecast weighs by it.'),
  forecastCategory: z.enum(forecastCategories),
  exitCriteria: z
    .array(label(64))
    .max(50)
    .refine((fields) => new Set(fields).size === fields.length, { message: 'a field is listed twice' })
    .describe('Opportunity fields that must be set (not empty, not false) before it moves past this stage.'),
  slaDays: durationDaysSchema.describe('Days an opportunity may stay in the stage before it is marked stalled.'),
});
export type PipelineStageSettings = z.output<typeof pipelineStageSettingsSchema>;

/** A tenant's sales pipeline: its stages in order, first to last. */
export const pipelineDefinitionSchema = z.object({
  id: identifier,
  name: label(200),
  stages: z.array(pipelineStageSettingsSchema).min(1).max(30),
});
export type PipelineDefinition = z.output<typeof pipelineDefinitionSchema>;

/** The reason a tenant's setting is invalid, at the path of the offending field. */
type SettingsIssue = { path: Array<string | number>; message: string };

function duplicates(values: readonly string[]): number[] {
  const seen = new Set<string>();
  return values.flatMap((value, index) => {
    if (seen.has(value)) return [index];
    seen.add(value);
    return [];
  });
}

function settingsIssues(settings: {
  defaultPipelineId: string;
  pipelines: readonly PipelineDefinition[];
  lostReasons: readonly string[];
}): SettingsIssue[] {
  const issues: SettingsIssue[] = [];
  for (const index of duplicates(settings.pipelines.map((pipeline) => pipeline.id))) {
    issues.push({ path: ['pipelines', index, 'id'], message: 'another pipeline has this id' });
  }
  settings.pipelines.forEach((pipeline, pipelineIndex) => {
    for (const index of duplicates(pipeline.stages.map((stage) => stage.id))) {
      issues.push({
        path: ['pipelines', pipelineIndex, 'stages', index, 'id'],
        message: 'another stage of the pipeline has this id',
      });
    }
  });
  if (!settings.pipelines.some((pipeline) => pipeline.id === settings.defaultPipelineId)) {
    issues.push({ path: ['defaultPipelineId'], message: 'no pipeline has this id' });
  }
  for (const index of duplicates(settings.lostReasons)) {
    issues.push({ path: ['lostReasons', index], message: 'a reason is listed twice' });
  }
  return issues;
}

/** A tenant's pipeline settings as `PUT /v1/pipeline/settings` takes them and `GET` returns them. */
export const pipelineSettingsSchema = z
  .object({
    defaultPipelineId: identifier.describe('The pipeline a conversion opens in when it names none.'),
    pipelines: z.array(pipelineDefinitionSchema).min(1).max(20),
    lostReasons: z
      .array(label(200))
      .min(1)
      .max(50)
      .describe('The reasons a lost opportunity may give; a loss must name one of them.'),
  })
  .superRefine((settings, context) => {
    for (const issue of settingsIssues(settings)) {
      context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
  });
export type PipelineSettings = z.output<typeof pipelineSettingsSchema>;

/** The settings of a tenant that never saved any: one four-stage pipeline and the common lost reasons. */
export function defaultPipelineSettings(): PipelineSettings {
  return {
    defaultPipelineId: 'new-business',
    pipelines: [
      {
        id: 'new-business',
        name: 'New business',
        stages: [
          {
            id: 'qualification',
            name: 'Qualification',
            probability: 10,
            forecastCategory: 'pipeline',
            exitCriteria: [],
            slaDays: 14,
          },
          {
            id: 'discovery',
            name: 'Discovery',
            probability: 25,
            forecastCategory: 'pipeline',
            exitCriteria: [],
            slaDays: 21,
          },
          {
            id: 'proposal',
            name: 'Proposal',
            probability: 50,
            forecastCategory: 'best_case',
            exitCriteria: ['budgetConfirmed', 'decisionMakerIdentified'],
            slaDays: 14,
          },
          {
            id: 'negotiation',
            name: 'Negotiation',
            probability: 75,
            forecastCategory: 'commit',
            exitCriteria: [],
            slaDays: 10,
          },
        ],
      },
    ],
    lostReasons: ['price', 'competitor', 'no_decision', 'timing', 'product_fit', 'other'],
  };
}
