import { describe, expect, it } from 'vitest';
import { opportunityOpenedV1Example } from '@l2o/contracts';
import { RuleViolation } from '@l2o/domain';
import {
  evolveOpportunityRecord,
  initialOpportunityRecord,
  tenantOpportunity,
} from '../aggregates/opportunity-record.ts';
import { defaultPipelineSettings } from '../settings/pipeline-settings.schema.ts';
import { loseCommand, moveStageCommand, reopenCommand } from './opportunity-commands.ts';

const now = new Date('2025-04-24T10:00:00.000Z');
const settings = defaultPipelineSettings();
const current = tenantOpportunity(
  evolveOpportunityRecord(initialOpportunityRecord(), { type: 'OpportunityOpened', data: opportunityOpenedV1Example }),
  'acme',
);

function violation(act: () => unknown): RuleViolation | undefined {
  try {
    act();
  } catch (error) {
    if (error instanceof RuleViolation) return error;
    throw error;
  }
  return undefined;
}

describe('opportunity commands', () => {
  it('moves to a stage of the opportunity’s pipeline with the exit criteria of the stages it leaves', () => {
    const command = moveStageCommand({ current, settings, stageId: 'negotiation', by: 'rep-ines', now });

    expect(command.data).toEqual({
      opportunityId: opportunityOpenedV1Example.opportunityId,
      tenantId: 'acme',
      toStage: { id: 'negotiation', name: 'Negotiation', probability: 75, forecastCategory: 'commit', position: 3 },
      exitCriteria: ['budgetConfirmed', 'decisionMakerIdentified'],
      by: 'rep-ines',
    });
  });

  it('refuses a stage the pipeline does not have, naming stageId', () => {
    expect(
      violation(() => moveStageCommand({ current, settings, stageId: 'closing', by: 'rep-ines', now })),
    ).toMatchObject({
      field: 'stageId',
    });
    expect(violation(() => reopenCommand({ current, settings, stageId: 'closing', now }))).toMatchObject({
      field: 'stageId',
    });
  });

  it('refuses a move when the opportunity’s pipeline was removed, naming pipelineId', () => {
    const renamed = { ...settings, pipelines: settings.pipelines.map((pipeline) => ({ ...pipeline, id: 'sales' })) };

    expect(
      violation(() => moveStageCommand({ current, settings: renamed, stageId: 'proposal', by: 'rep-ines', now })),
    ).toMatchObject({
      field: 'pipelineId',
    });
  });

  it('gives a loss the tenant’s lost reasons to check against', () => {
    const command = loseCommand({ current, settings, reason: 'price', competitor: 'Difference Engines plc', now });

    expect(command.data).toMatchObject({
      reason: 'price',
      competitor: 'Difference Engines plc',
      lostReasons: settings.lostReasons,
    });
  });
});
