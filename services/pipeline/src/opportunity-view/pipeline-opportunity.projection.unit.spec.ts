import { describe, expect, it } from 'vitest';
import {
  opportunityDetailsUpdatedV1Example,
  opportunityOpenedV1Example,
  opportunityStageChangedV1Example,
} from '@l2o/contracts';
import type { OpportunityStage } from '@l2o/contracts';
import type { OpportunityEvent } from '@l2o/domain';
import { projectOpportunityEvent } from './pipeline-opportunity.projection.ts';
import type { PipelineOpportunity } from './pipeline-opportunity.projection.ts';

const opportunityId = opportunityOpenedV1Example.opportunityId;
const ref = { opportunityId, tenantId: 'acme' };
const qualification = opportunityOpenedV1Example.stage;
const proposal = opportunityStageChangedV1Example.toStage;

function play(events: OpportunityEvent[]): ReturnType<typeof projectOpportunityEvent> {
  let row: PipelineOpportunity | undefined;
  let last: ReturnType<typeof projectOpportunityEvent> | undefined;
  for (const event of events) {
    last = projectOpportunityEvent(row, { opportunityId, event });
    row = last.row;
  }
  if (last === undefined) throw new Error('no events');
  return last;
}

const opened: OpportunityEvent = { type: 'OpportunityOpened', data: opportunityOpenedV1Example };
// The contract's example moves to Proposal on 2025-04-24T10:00:00.000Z; here from the opening's stage.
const toProposal: OpportunityEvent = {
  type: 'OpportunityStageChanged',
  data: { ...opportunityStageChangedV1Example, ...ref, fromStage: qualification },
};
const stalledIn = (stage: OpportunityStage, enteredStageAt: string): OpportunityEvent => ({
  type: 'OpportunityStalled',
  data: { ...ref, stalledAt: '2025-05-09T10:00:00.000Z', stage, enteredStageAt, slaDays: 14 },
});

describe('pipeline opportunity projection', () => {
  it('starts a row and a stage timer with the opening', () => {
    expect(play([opened])).toEqual({
      row: {
        opportunityId,
        tenantId: 'acme',
        leadId: opportunityOpenedV1Example.leadId,
        ownerId: 'rep-ines',
        pipelineId: 'new-business',
        stage: qualification,
        amount: 48_000,
        currency: 'EUR',
        closeDate: '2025-06-30',
        status: 'open',
        enteredStageAt: opportunityOpenedV1Example.openedAt,
        stalled: false,
      },
      timer: { kind: 'entered', stageId: 'qualification', enteredAt: opportunityOpenedV1Example.openedAt },
    });
  });

  it('enters the new stage with its probability on a stage change', () => {
    const { row, timer } = play([opened, toProposal]);

    expect(row).toMatchObject({ stage: proposal, enteredStageAt: '2025-04-24T10:00:00.000Z' });
    expect(timer).toEqual({ kind: 'entered', stageId: 'proposal', enteredAt: '2025-04-24T10:00:00.000Z' });
  });

  it('flags a stall of the current stage entry and clears it when the stage changes', () => {
    const stalled = play([opened, stalledIn(qualification, opportunityOpenedV1Example.openedAt)]);
    const movedOn = play([opened, stalledIn(qualification, opportunityOpenedV1Example.openedAt), toProposal]);

    expect(stalled.row.stalled).toBe(true);
    expect(stalled.timer).toMatchObject({ kind: 'stalled', stageId: 'qualification' });
    expect(movedOn.row.stalled).toBe(false);
  });

  it('does not flag a stall of a stage entry already left', () => {
    const { row } = play([opened, toProposal, stalledIn(qualification, opportunityOpenedV1Example.openedAt)]);

    expect(row.stalled).toBe(false);
  });

  it('closes with the final amount on a win, and opens again without a close time on a reopen', () => {
    const won: OpportunityEvent = {
      type: 'OpportunityWon',
      data: { ...ref, wonAt: '2025-06-27T16:20:00.000Z', amount: 51_000, currency: 'EUR', stage: qualification },
    };
    const reopened: OpportunityEvent = {
      type: 'OpportunityReopened',
      data: { ...ref, reopenedAt: '2025-07-08T08:30:00.000Z', stage: proposal, previousOutcome: 'won' },
    };

    const closed = play([opened, won]);
    const open = play([opened, won, reopened]);

    expect(closed.row).toMatchObject({ status: 'won', amount: 51_000, closedAt: '2025-06-27T16:20:00.000Z' });
    expect(closed.timer).toEqual({ kind: 'closed', at: '2025-06-27T16:20:00.000Z' });
    expect(open.row).toMatchObject({ status: 'open', stage: proposal, stalled: false });
    expect(open.row).not.toHaveProperty('closedAt');
  });

  it('changes neither the row nor the timers on a details update', () => {
    const details: OpportunityEvent = {
      type: 'OpportunityDetailsUpdated',
      data: { ...opportunityDetailsUpdatedV1Example, ...ref },
    };

    const { row, timer } = play([opened, details]);

    expect(row).toEqual(play([opened]).row);
    expect(timer).toBeUndefined();
  });

  it('refuses a first event that is not the opening', () => {
    expect(() => projectOpportunityEvent(undefined, { opportunityId, event: toProposal })).toThrow(
      /first event is not OpportunityOpened/,
    );
  });
});
