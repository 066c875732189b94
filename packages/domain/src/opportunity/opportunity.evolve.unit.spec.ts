import { describe, expect, it } from 'vitest';
import type { OpportunityEvent } from './opportunity.events.ts';
import {
  changeAmount,
  changeCloseDate,
  given,
  later,
  loseOpportunity,
  markStalled,
  moveStage,
  openOpportunity,
  openedAt,
  openedFrom,
  reopenOpportunity,
  stages,
  updateDetails,
  when,
  winOpportunity,
} from './opportunity.fixture.ts';

const laterIso = later.toISOString();

describe('Opportunity evolve', () => {
  const command = openOpportunity();
  const { opportunityId, leadId } = command.data;
  const stream: OpportunityEvent[] = [openedFrom(command)];
  const target = { opportunityId };

  function after(events: readonly OpportunityEvent[], ...commands: Parameters<typeof when>[1][]): OpportunityEvent[] {
    return commands.reduce<OpportunityEvent[]>((all, next) => [...all, ...when(all, next)], [...events]);
  }

  it('starts with no opportunity', () => {
    expect(given([])).toEqual({ status: 'none' });
  });

  it('opens it in its first stage, entered at the opening', () => {
    expect(given(stream)).toEqual({
      status: 'open',
      opportunityId,
      tenantId: 'acme',
      leadId,
      pipelineId: 'new-business',
      stage: stages.qualification,
      enteredStageAt: openedAt.toISOString(),
      amount: 48_000,
      currency: 'EUR',
      closeDate: '2025-06-30',
      fields: { seats: 40 },
    });
  });

  it('keeps the stage, amount, close date and fields the stream last set', () => {
    const events = after(
      stream,
      moveStage(target, { toStage: stages.proposal }),
      changeAmount(target, 50_000.25),
      changeCloseDate(target, '2025-07-01'),
      updateDetails(target, { budgetConfirmed: true, seats: 45 }),
      updateDetails(target, { budgetConfirmed: null }),
    );
    expect(given(events)).toMatchObject({
      status: 'open',
      stage: stages.proposal,
      enteredStageAt: laterIso,
      amount: 50_000.25,
      closeDate: '2025-07-01',
      fields: { seats: 45, budgetConfirmed: null },
    });
  });

  it('remembers the stage entry marked stalled until the stage is left', () => {
    const timer = { stageId: 'qualification', enteredStageAt: openedAt.toISOString(), slaDays: 7, at: later };
    const stalled = after(stream, markStalled(target, timer));
    expect(given(stalled)).toMatchObject({ stalledForStageEntry: openedAt.toISOString() });
    expect(given(after(stalled, moveStage(target, { toStage: stages.discovery })))).not.toHaveProperty(
      'stalledForStageEntry',
    );
  });

  it('closes as won at the final amount', () => {
    expect(given(after(stream, winOpportunity(target, 51_000)))).toMatchObject({
      status: 'won',
      amount: 51_000,
      closedAt: laterIso,
    });
  });

  it('closes as lost with its reason and competitor', () => {
    expect(
      given(after(stream, loseOpportunity(target, { reason: 'competitor', competitor: 'Babbage & Co' }))),
    ).toMatchObject({ status: 'lost', closedAt: laterIso, lostReason: 'competitor', competitor: 'Babbage & Co' });
  });

  it('reopens into the given stage without the outcome, and keeps the deal', () => {
    const events = after(stream, loseOpportunity(target, { competitor: 'Babbage & Co' }), reopenOpportunity(target));
    expect(given(events)).toEqual({
      ...given(stream),
      stage: stages.negotiation,
      enteredStageAt: laterIso,
    });
  });

  it('ignores changes that reach a closed opportunity out of order', () => {
    const won = after(stream, winOpportunity(target));
    const late: OpportunityEvent = {
      type: 'OpportunityAmountChanged',
      data: {
        opportunityId,
        tenantId: 'acme',
        changedAt: laterIso,
        amount: 1,
        previousAmount: 48_000,
        currency: 'EUR',
      },
    };
    expect(given([...won, late])).toEqual(given(won));
  });

  it('ignores event types it does not know', () => {
    const unknown = { type: 'OpportunityRenamed', data: { name: 'x' } } as unknown as OpportunityEvent;
    expect(given([...stream, unknown])).toEqual(given(stream));
  });
});
