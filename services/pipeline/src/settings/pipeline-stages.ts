import type { OpportunityStage } from '@l2o/contracts';
import type { PipelineDefinition, PipelineSettings } from './pipeline-settings.schema.ts';

/** The tenant's pipeline with this id, if it has one. */
export function findPipeline(settings: PipelineSettings, pipelineId: string): PipelineDefinition | undefined {
  return settings.pipelines.find((pipeline) => pipeline.id === pipelineId);
}

/** A stage of the pipeline as events carry it (with its position), if the pipeline has it. */
export function stageOf(pipeline: PipelineDefinition, stageId: string): OpportunityStage | undefined {
  const position = pipeline.stages.findIndex((stage) => stage.id === stageId);
  const stage = pipeline.stages[position];
  if (stage === undefined) return undefined;
  return {
    id: stage.id,
    name: stage.name,
    probability: stage.probability,
    forecastCategory: stage.forecastCategory,
    position,
  };
}

/** Where every opportunity of the pipeline starts. */
export function firstStage(pipeline: PipelineDefinition): OpportunityStage {
  const [first] = pipeline.stages;
  if (first === undefined) throw new Error(`pipeline ${pipeline.id} has no stages`);
  return stageOf(pipeline, first.id) as OpportunityStage;
}

/** The stage's SLA in days, if the pipeline has the stage. */
export function stageSlaDays(pipeline: PipelineDefinition, stageId: string): number | undefined {
  return pipeline.stages.find((stage) => stage.id === stageId)?.slaDays;
}

/**
 * The fields a move from `from` to `to` must find set: the exit criteria of every stage it leaves
 * behind, the current one and any it skips. None for a move back. The current stage is looked up by
 * id in the pipeline as it is now; a stage since removed counts from the position it had.
 */
export function exitCriteriaOfMove(options: {
  pipeline: PipelineDefinition;
  from: OpportunityStage;
  to: OpportunityStage;
}): string[] {
  const { pipeline, from, to } = options;
  const current = pipeline.stages.findIndex((stage) => stage.id === from.id);
  const start = current === -1 ? from.position : current;
  const left = pipeline.stages.slice(start, Math.max(start, to.position));
  return [...new Set(left.flatMap((stage) => stage.exitCriteria))];
}
