import type { OpportunityStage } from '@l2o/contracts';
import { RuleViolation } from '@l2o/domain';
import type { LoseOpportunity, MoveStage, ReopenOpportunity } from '@l2o/domain';
import type { OpenedRecord } from '../aggregates/opportunity-record.ts';
import type { PipelineDefinition, PipelineSettings } from '../settings/pipeline-settings.schema.ts';
import { exitCriteriaOfMove, findPipeline, stageOf } from '../settings/pipeline-stages.ts';

// Builders of the commands that need the tenant's settings; the decider gets what they looked up.

function pipelineOf(settings: PipelineSettings, current: OpenedRecord): PipelineDefinition {
  const { pipelineId } = current.opportunity;
  const pipeline = findPipeline(settings, pipelineId);
  if (pipeline === undefined) {
    throw new RuleViolation(`the opportunity's pipeline ${pipelineId} no longer exists`, { field: 'pipelineId' });
  }
  return pipeline;
}

function targetStage(pipeline: PipelineDefinition, stageId: string): OpportunityStage {
  const stage = stageOf(pipeline, stageId);
  if (stage === undefined) {
    throw new RuleViolation(`pipeline ${pipeline.id} has no stage ${stageId}`, { field: 'stageId' });
  }
  return stage;
}

/** A move to `stageId` of the opportunity's pipeline, guarded by the exit criteria of every stage it leaves. */
export function moveStageCommand(options: {
  current: OpenedRecord;
  settings: PipelineSettings;
  stageId: string;
  by: string;
  now: Date;
}): MoveStage {
  const { current, stageId, by, now } = options;
  const pipeline = pipelineOf(options.settings, current);
  const toStage = targetStage(pipeline, stageId);
  const { opportunity } = current;
  return {
    type: 'MoveStage',
    data: {
      opportunityId: opportunity.opportunityId,
      tenantId: opportunity.tenantId,
      toStage,
      exitCriteria: exitCriteriaOfMove({ pipeline, from: opportunity.stage, to: toStage }),
      by,
    },
    metadata: { now },
  };
}

/** A reopen of a closed opportunity into `stageId` of its pipeline. */
export function reopenCommand(options: {
  current: OpenedRecord;
  settings: PipelineSettings;
  stageId: string;
  now: Date;
}): ReopenOpportunity {
  const { current, now } = options;
  const stage = targetStage(pipelineOf(options.settings, current), options.stageId);
  const { opportunityId, tenantId } = current.opportunity;
  return { type: 'ReopenOpportunity', data: { opportunityId, tenantId, stage }, metadata: { now } };
}

/** A loss for one of the tenant's lost reasons. */
export function loseCommand(options: {
  current: OpenedRecord;
  settings: PipelineSettings;
  reason: string;
  competitor?: string | undefined;
  now: Date;
}): LoseOpportunity {
  const { current, reason, competitor, now } = options;
  const { opportunityId, tenantId } = current.opportunity;
  return {
    type: 'LoseOpportunity',
    data: {
      opportunityId,
      tenantId,
      reason,
      ...(competitor === undefined ? {} : { competitor }),
      lostReasons: options.settings.lostReasons,
    },
    metadata: { now },
  };
}
