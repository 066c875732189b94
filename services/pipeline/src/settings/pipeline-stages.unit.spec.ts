import { describe, expect, it } from 'vitest';
import type { OpportunityStage } from '@l2o/contracts';
import { defaultPipelineSettings } from './pipeline-settings.schema.ts';
import type { PipelineDefinition } from './pipeline-settings.schema.ts';
import { exitCriteriaOfMove, findPipeline, firstStage, stageOf, stageSlaDays } from './pipeline-stages.ts';

const pipeline = findPipeline(defaultPipelineSettings(), 'new-business') as PipelineDefinition;
const stage = (id: string) => stageOf(pipeline, id) as OpportunityStage;

describe('pipeline stages', () => {
  it('gives a stage with its place in the pipeline', () => {
    expect(stageOf(pipeline, 'proposal')).toEqual({
      id: 'proposal',
      name: 'Proposal',
      probability: 50,
      forecastCategory: 'best_case',
      position: 2,
    });
    expect(stageOf(pipeline, 'contracting')).toBeUndefined();
  });

  it('starts every opportunity in the first stage', () => {
    expect(firstStage(pipeline).id).toBe('qualification');
  });

  it('knows the SLA of each stage', () => {
    expect(pipeline.stages.map((each) => stageSlaDays(pipeline, each.id))).toEqual([14, 21, 14, 10]);
  });

  describe('exit criteria of a move', () => {
    it('are those of the stage left when moving one stage on', () => {
      expect(exitCriteriaOfMove({ pipeline, from: stage('proposal'), to: stage('negotiation') })).toEqual([
        'budgetConfirmed',
        'decisionMakerIdentified',
      ]);
    });

    it('include those of every stage a move skips', () => {
      expect(exitCriteriaOfMove({ pipeline, from: stage('qualification'), to: stage('negotiation') })).toEqual([
        'budgetConfirmed',
        'decisionMakerIdentified',
      ]);
    });

    it('are none when the stages left have none', () => {
      expect(exitCriteriaOfMove({ pipeline, from: stage('qualification'), to: stage('proposal') })).toEqual([]);
    });

    it('are none for a move back', () => {
      expect(exitCriteriaOfMove({ pipeline, from: stage('negotiation'), to: stage('discovery') })).toEqual([]);
    });

    it('count a stage since removed from the position it had', () => {
      const removed: OpportunityStage = { ...stage('qualification'), id: 'intro', position: 1 };

      expect(exitCriteriaOfMove({ pipeline, from: removed, to: stage('negotiation') })).toEqual([
        'budgetConfirmed',
        'decisionMakerIdentified',
      ]);
    });
  });
});
