import { describe, expect, it } from 'vitest';
import type { OpportunityEvent } from './opportunity.events.ts';
import {
  given,
  later,
  moveStage,
  opened,
  ruleViolationOf,
  stages,
  updateDetails,
  when,
} from './opportunity.fixture.ts';

const laterIso = later.toISOString();

/** An open opportunity in the proposal stage, whose fields are `seats: 40` plus `fields`. */
function inProposal(fields: Record<string, string | number | boolean | null> = {}) {
  const { opportunityId, stream } = opened({ data: { fields: { seats: 40, ...fields } } });
  const moved = [...stream, ...when(stream, moveStage({ opportunityId }, { toStage: stages.proposal }))];
  return { opportunityId, stream: moved };
}

describe('Opportunity stage moves', () => {
  it('moves forward, from the current stage, by whom and when', () => {
    const { opportunityId, stream } = opened();
    expect(when(stream, moveStage({ opportunityId }, { toStage: stages.discovery }))).toEqual([
      {
        type: 'OpportunityStageChanged',
        data: {
          opportunityId,
          tenantId: 'acme',
          changedAt: laterIso,
          fromStage: stages.qualification,
          toStage: stages.discovery,
          direction: 'forward',
          by: 'rep-ines',
        },
      },
    ]);
  });

  it('moves backward', () => {
    const { opportunityId, stream } = inProposal();
    expect(when(stream, moveStage({ opportunityId }, { toStage: stages.discovery }))).toEqual([
      {
        type: 'OpportunityStageChanged',
        data: expect.objectContaining({ fromStage: stages.proposal, toStage: stages.discovery, direction: 'backward' }),
      },
    ]);
  });

  it('yields nothing for a move to the stage it is in', () => {
    const { opportunityId, stream } = inProposal();
    expect(when(stream, moveStage({ opportunityId }, { toStage: stages.proposal, exitCriteria: ['x'] }))).toEqual([]);
  });

  it('moves on from the stage the stream last entered', () => {
    const { opportunityId, stream } = inProposal();
    expect(given(stream)).toMatchObject({ stage: stages.proposal, enteredStageAt: laterIso });
    expect(when(stream, moveStage({ opportunityId }, { toStage: stages.negotiation }))).toEqual([
      { type: 'OpportunityStageChanged', data: expect.objectContaining({ fromStage: stages.proposal }) },
    ]);
  });

  it('counts a move to another stage at the same position as forward', () => {
    const { opportunityId, stream } = inProposal();
    const renamed = { ...stages.proposal, id: 'proposal-v2', name: 'Proposal (v2)' };
    expect(when(stream, moveStage({ opportunityId }, { toStage: renamed }))).toEqual([
      { type: 'OpportunityStageChanged', data: expect.objectContaining({ direction: 'forward' }) },
    ]);
  });

  describe('exit criteria', () => {
    it('refuses to leave a stage forward while a required field is not set', () => {
      const { opportunityId, stream } = inProposal();
      const command = moveStage({ opportunityId }, { toStage: stages.negotiation, exitCriteria: ['budgetConfirmed'] });
      expect(ruleViolationOf(() => when(stream, command))).toMatchObject({
        name: 'RuleViolation',
        field: 'fields.budgetConfirmed',
        message: 'leaving stage proposal needs budgetConfirmed set',
      });
    });

    it('names every unmet field in the reason and the first one as the field', () => {
      const { opportunityId, stream } = inProposal({ decisionMaker: 'CFO' });
      const command = moveStage(
        { opportunityId },
        { toStage: stages.negotiation, exitCriteria: ['budgetConfirmed', 'decisionMaker', 'timeline'] },
      );
      expect(ruleViolationOf(() => when(stream, command))).toMatchObject({
        field: 'fields.budgetConfirmed',
        message: 'leaving stage proposal needs budgetConfirmed, timeline set',
      });
    });

    it.each([
      ['false', false],
      ['null', null],
      ['an empty string', ''],
      ['blank', '   '],
    ])('does not count a field set to %s', (_label, value) => {
      const { opportunityId, stream } = inProposal({ budgetConfirmed: value });
      const command = moveStage({ opportunityId }, { toStage: stages.negotiation, exitCriteria: ['budgetConfirmed'] });
      expect(ruleViolationOf(() => when(stream, command))).toMatchObject({ field: 'fields.budgetConfirmed' });
    });

    it.each([
      ['true', true],
      ['a text', 'CFO'],
      ['zero', 0],
    ])('counts a field set to %s', (_label, value) => {
      const { opportunityId, stream } = inProposal({ budgetConfirmed: value });
      const command = moveStage({ opportunityId }, { toStage: stages.negotiation, exitCriteria: ['budgetConfirmed'] });
      expect(when(stream, command)).toHaveLength(1);
    });

    it('does not take a field inherited from Object as set', () => {
      const { opportunityId, stream } = inProposal();
      const command = moveStage({ opportunityId }, { toStage: stages.negotiation, exitCriteria: ['constructor'] });
      expect(ruleViolationOf(() => when(stream, command))).toMatchObject({ field: 'fields.constructor' });
    });

    it('lets the stage be left once the details set the field', () => {
      const { opportunityId, stream } = inProposal();
      const updated: OpportunityEvent[] = [
        ...stream,
        ...when(stream, updateDetails({ opportunityId }, { budgetConfirmed: true })),
      ];
      const command = moveStage({ opportunityId }, { toStage: stages.negotiation, exitCriteria: ['budgetConfirmed'] });
      expect(when(updated, command)).toEqual([
        { type: 'OpportunityStageChanged', data: expect.objectContaining({ toStage: stages.negotiation }) },
      ]);
    });

    it('refuses again once the details clear the field', () => {
      const { opportunityId, stream } = inProposal({ budgetConfirmed: true });
      const cleared = [...stream, ...when(stream, updateDetails({ opportunityId }, { budgetConfirmed: null }))];
      const command = moveStage({ opportunityId }, { toStage: stages.negotiation, exitCriteria: ['budgetConfirmed'] });
      expect(ruleViolationOf(() => when(cleared, command))).toMatchObject({ field: 'fields.budgetConfirmed' });
    });

    it('does not hold back a move backward', () => {
      const { opportunityId, stream } = inProposal();
      const command = moveStage({ opportunityId }, { toStage: stages.discovery, exitCriteria: ['budgetConfirmed'] });
      expect(when(stream, command)).toEqual([
        { type: 'OpportunityStageChanged', data: expect.objectContaining({ direction: 'backward' }) },
      ]);
    });

    it('applies to a move that skips stages', () => {
      const { opportunityId, stream } = opened();
      const command = moveStage({ opportunityId }, { toStage: stages.negotiation, exitCriteria: ['budgetConfirmed'] });
      expect(ruleViolationOf(() => when(stream, command))).toMatchObject({ field: 'fields.budgetConfirmed' });
    });
  });
});
