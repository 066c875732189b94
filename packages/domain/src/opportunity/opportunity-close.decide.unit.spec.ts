import { describe, expect, it } from 'vitest';
import type { OpportunityEvent } from './opportunity.events.ts';
import {
  changeAmount,
  given,
  later,
  loseOpportunity,
  moveStage,
  opened,
  reopenOpportunity,
  ruleViolationOf,
  stages,
  when,
  winOpportunity,
} from './opportunity.fixture.ts';

const laterIso = later.toISOString();

/** An open opportunity in negotiation. */
function inNegotiation() {
  const { opportunityId, stream } = opened();
  return {
    opportunityId,
    stream: [...stream, ...when(stream, moveStage({ opportunityId }, { toStage: stages.negotiation }))],
  };
}

function wonStream(amount?: number) {
  const { opportunityId, stream } = inNegotiation();
  return { opportunityId, stream: [...stream, ...when(stream, winOpportunity({ opportunityId }, amount))] };
}

function lostStream(options: Parameters<typeof loseOpportunity>[1] = {}) {
  const { opportunityId, stream } = inNegotiation();
  return { opportunityId, stream: [...stream, ...when(stream, loseOpportunity({ opportunityId }, options))] };
}

describe('Opportunity won', () => {
  it('is won at its current amount and stage when no final amount is given', () => {
    const { opportunityId, stream } = inNegotiation();
    expect(when(stream, winOpportunity({ opportunityId }))).toEqual([
      {
        type: 'OpportunityWon',
        data: {
          opportunityId,
          tenantId: 'acme',
          wonAt: laterIso,
          amount: 48_000,
          currency: 'EUR',
          stage: stages.negotiation,
        },
      },
    ]);
  });

  it('is won at the final amount given', () => {
    const { opportunityId, stream } = inNegotiation();
    expect(when(stream, winOpportunity({ opportunityId }, 51_000))).toEqual([
      { type: 'OpportunityWon', data: expect.objectContaining({ amount: 51_000 }) },
    ]);
  });

  it('refuses an invalid final amount', () => {
    const { opportunityId, stream } = inNegotiation();
    expect(ruleViolationOf(() => when(stream, winOpportunity({ opportunityId }, -5)))).toMatchObject({
      field: 'amount',
    });
  });

  it('keeps the final amount', () => {
    expect(given(wonStream(51_000).stream)).toMatchObject({ status: 'won', amount: 51_000, closedAt: laterIso });
  });

  it('yields nothing for a redelivered win, with or without the same final amount', () => {
    const { opportunityId, stream } = wonStream(51_000);
    expect(when(stream, winOpportunity({ opportunityId }, 51_000))).toEqual([]);
    expect(when(stream, winOpportunity({ opportunityId }))).toEqual([]);
  });

  it('refuses a win at another amount once won', () => {
    const { opportunityId, stream } = wonStream(51_000);
    expect(ruleViolationOf(() => when(stream, winOpportunity({ opportunityId }, 60_000)))).toMatchObject({
      message: 'the opportunity is won; reopen it first',
    });
  });

  it('refuses to lose a won opportunity', () => {
    const { opportunityId, stream } = wonStream();
    expect(ruleViolationOf(() => when(stream, loseOpportunity({ opportunityId })))).toMatchObject({
      message: 'the opportunity is won; reopen it first',
    });
  });
});

describe('Opportunity lost', () => {
  it("is lost for one of the tenant's reasons, to a competitor, from its stage", () => {
    const { opportunityId, stream } = inNegotiation();
    expect(
      when(stream, loseOpportunity({ opportunityId }, { reason: 'competitor', competitor: 'Difference Engines' })),
    ).toEqual([
      {
        type: 'OpportunityLost',
        data: {
          opportunityId,
          tenantId: 'acme',
          lostAt: laterIso,
          reason: 'competitor',
          competitor: 'Difference Engines',
          stage: stages.negotiation,
        },
      },
    ]);
  });

  it('is lost without a competitor', () => {
    const { opportunityId, stream } = inNegotiation();
    const [lost] = when(stream, loseOpportunity({ opportunityId }, { reason: 'timing' }));
    expect(lost?.data).not.toHaveProperty('competitor');
  });

  it("refuses a reason outside the tenant's list", () => {
    const { opportunityId, stream } = inNegotiation();
    expect(
      ruleViolationOf(() => when(stream, loseOpportunity({ opportunityId }, { reason: 'bad vibes' }))),
    ).toMatchObject({ name: 'RuleViolation', field: 'reason' });
  });

  it('yields nothing for a redelivered loss', () => {
    const { opportunityId, stream } = lostStream({ reason: 'price', competitor: 'Difference Engines' });
    expect(
      when(stream, loseOpportunity({ opportunityId }, { reason: 'price', competitor: 'Difference Engines' })),
    ).toEqual([]);
  });

  it('refuses a loss for another reason once lost', () => {
    const { opportunityId, stream } = lostStream({ reason: 'price' });
    expect(ruleViolationOf(() => when(stream, loseOpportunity({ opportunityId }, { reason: 'timing' })))).toMatchObject(
      {
        message: 'the opportunity is lost; reopen it first',
      },
    );
  });

  it('refuses to win a lost opportunity', () => {
    const { opportunityId, stream } = lostStream();
    expect(ruleViolationOf(() => when(stream, winOpportunity({ opportunityId })))).toMatchObject({
      message: 'the opportunity is lost; reopen it first',
    });
  });
});

describe('Opportunity reopened', () => {
  it.each([
    ['won', wonStream],
    ['lost', lostStream],
  ] as const)('reopens a %s opportunity into the given stage', (outcome, closed) => {
    const { opportunityId, stream } = closed();
    expect(when(stream, reopenOpportunity({ opportunityId }, stages.proposal))).toEqual([
      {
        type: 'OpportunityReopened',
        data: {
          opportunityId,
          tenantId: 'acme',
          reopenedAt: laterIso,
          stage: stages.proposal,
          previousOutcome: outcome,
        },
      },
    ]);
  });

  it('refuses to reopen an open opportunity', () => {
    const { opportunityId, stream } = inNegotiation();
    expect(ruleViolationOf(() => when(stream, reopenOpportunity({ opportunityId })))).toMatchObject({
      message: 'only a won or lost opportunity can be reopened',
    });
  });

  it('refuses to reopen an opportunity that does not exist', () => {
    const { opportunityId } = inNegotiation();
    expect(ruleViolationOf(() => when([], reopenOpportunity({ opportunityId })))).toMatchObject({
      field: 'opportunityId',
    });
  });

  it('takes changes again once reopened, from the final amount', () => {
    const { opportunityId, stream } = wonStream(51_000);
    const reopened: OpportunityEvent[] = [...stream, ...when(stream, reopenOpportunity({ opportunityId }))];
    expect(when(reopened, changeAmount({ opportunityId }, 55_000))).toEqual([
      { type: 'OpportunityAmountChanged', data: expect.objectContaining({ amount: 55_000, previousAmount: 51_000 }) },
    ]);
  });

  it('can be lost after being won and reopened', () => {
    const { opportunityId, stream } = wonStream();
    const reopened = [...stream, ...when(stream, reopenOpportunity({ opportunityId }, stages.proposal))];
    expect(when(reopened, loseOpportunity({ opportunityId }))).toEqual([
      { type: 'OpportunityLost', data: expect.objectContaining({ stage: stages.proposal }) },
    ]);
  });
});
