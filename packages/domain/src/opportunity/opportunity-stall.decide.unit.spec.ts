import { describe, expect, it } from 'vitest';
import type { OpportunityEvent } from './opportunity.events.ts';
import {
  later,
  markStalled,
  moveStage,
  opened,
  reopenOpportunity,
  ruleViolationOf,
  stages,
  when,
  winOpportunity,
} from './opportunity.fixture.ts';

const enteredProposal = new Date('2025-04-20T10:00:00.000Z');
const enteredStageAt = enteredProposal.toISOString();
const fourteenDaysLater = new Date('2025-05-04T10:00:00.000Z');

/** An open opportunity that entered the proposal stage on 20 April, with its 14-day SLA timer. */
function inProposal() {
  const { opportunityId, stream } = opened();
  const moved = [
    ...stream,
    ...when(stream, moveStage({ opportunityId }, { toStage: stages.proposal, at: enteredProposal })),
  ];
  const timer = { stageId: 'proposal', enteredStageAt, slaDays: 14, at: fourteenDaysLater };
  return { opportunityId, stream: moved, timer };
}

describe('Opportunity stalled', () => {
  it('is marked stalled when the SLA timer fires in the stage entry it was set for', () => {
    const { opportunityId, stream, timer } = inProposal();
    expect(when(stream, markStalled({ opportunityId }, timer))).toEqual([
      {
        type: 'OpportunityStalled',
        data: {
          opportunityId,
          tenantId: 'acme',
          stalledAt: fourteenDaysLater.toISOString(),
          stage: stages.proposal,
          enteredStageAt,
          slaDays: 14,
        },
      },
    ]);
  });

  it('counts the SLA from the opening for the first stage', () => {
    const { opportunityId, stream } = opened();
    const timer = {
      stageId: 'qualification',
      enteredStageAt: '2025-04-07T14:05:00.000Z',
      slaDays: 7,
      at: new Date('2025-04-14T14:05:00.000Z'),
    };
    expect(when(stream, markStalled({ opportunityId }, timer))).toHaveLength(1);
  });

  it('yields nothing when the timer fires twice for the same stage entry', () => {
    const { opportunityId, stream, timer } = inProposal();
    const stalled = [...stream, ...when(stream, markStalled({ opportunityId }, timer))];
    expect(when(stalled, markStalled({ opportunityId }, { ...timer, at: new Date('2025-05-05T00:00:00Z') }))).toEqual(
      [],
    );
  });

  it('yields nothing once the opportunity left the stage', () => {
    const { opportunityId, stream, timer } = inProposal();
    const moved = [...stream, ...when(stream, moveStage({ opportunityId }, { toStage: stages.negotiation }))];
    expect(when(moved, markStalled({ opportunityId }, timer))).toEqual([]);
  });

  it('yields nothing for an earlier entry of the stage it is in again', () => {
    const { opportunityId, stream, timer } = inProposal();
    const back = new Date('2025-04-30T09:00:00.000Z');
    const reentered: OpportunityEvent[] = [...stream];
    reentered.push(...when(reentered, moveStage({ opportunityId }, { toStage: stages.discovery, at: back })));
    reentered.push(...when(reentered, moveStage({ opportunityId }, { toStage: stages.proposal, at: back })));
    expect(when(reentered, markStalled({ opportunityId }, timer))).toEqual([]);
  });

  it('is marked again for a new entry of a stage it stalled in before', () => {
    const { opportunityId, stream, timer } = inProposal();
    const reentry = new Date('2025-05-10T09:00:00.000Z');
    const events: OpportunityEvent[] = [...stream];
    events.push(...when(events, markStalled({ opportunityId }, timer)));
    events.push(...when(events, moveStage({ opportunityId }, { toStage: stages.discovery, at: reentry })));
    events.push(...when(events, moveStage({ opportunityId }, { toStage: stages.proposal, at: reentry })));
    const again = { ...timer, enteredStageAt: reentry.toISOString(), at: new Date('2025-05-24T09:00:00.000Z') };
    expect(when(events, markStalled({ opportunityId }, again))).toEqual([
      { type: 'OpportunityStalled', data: expect.objectContaining({ enteredStageAt: reentry.toISOString() }) },
    ]);
  });

  it('yields nothing once the opportunity is closed', () => {
    const { opportunityId, stream, timer } = inProposal();
    const won = [...stream, ...when(stream, winOpportunity({ opportunityId }))];
    expect(when(won, markStalled({ opportunityId }, timer))).toEqual([]);
  });

  it('counts the SLA of a reopened opportunity from the reopening', () => {
    const { opportunityId, stream, timer } = inProposal();
    const events = [...stream, ...when(stream, winOpportunity({ opportunityId }))];
    events.push(...when(events, reopenOpportunity({ opportunityId }, stages.proposal)));
    expect(when(events, markStalled({ opportunityId }, timer))).toEqual([]);
    const reopened = { ...timer, enteredStageAt: later.toISOString(), at: new Date('2025-05-08T10:00:00.000Z') };
    expect(when(events, markStalled({ opportunityId }, reopened))).toHaveLength(1);
  });

  it('refuses a timer that fires before the SLA passed', () => {
    const { opportunityId, stream, timer } = inProposal();
    const early = { ...timer, at: new Date(fourteenDaysLater.getTime() - 1) };
    expect(ruleViolationOf(() => when(stream, markStalled({ opportunityId }, early)))).toMatchObject({
      field: 'slaDays',
    });
  });

  it.each([0, 1.5, 3651])('refuses an SLA of %s days', (slaDays) => {
    const { opportunityId, stream, timer } = inProposal();
    expect(ruleViolationOf(() => when(stream, markStalled({ opportunityId }, { ...timer, slaDays })))).toMatchObject({
      field: 'slaDays',
    });
  });
});
