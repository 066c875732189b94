import { describe, expect, it } from 'vitest';
import {
  opportunityLostV1Example,
  opportunityOpenedV1Example,
  opportunityReopenedV1Example,
  opportunityStageChangedV1Example,
  opportunityWonV1Example,
} from '@l2o/contracts';
import type { StreamEvent } from '@l2o/stream-consumer';
import { nextOpportunityState, openedState, stageVisitChange } from './opportunity-state.ts';

const opened = openedState(opportunityOpenedV1Example);
const envelope = {
  id: 'e',
  streamId: `opportunity-${opportunityOpenedV1Example.opportunityId}`,
  aggregate: 'opportunity',
  aggregateId: opportunityOpenedV1Example.opportunityId,
  streamVersion: 2,
  recordedAt: new Date('2025-05-01T00:00:00Z'),
  tenantId: 'acme',
  schemaVersion: 1,
} as const;
const event = (type: string, data: unknown) => ({ ...envelope, type, data }) as StreamEvent;

describe('opportunity states', () => {
  it('open in the first stage with the converted lead’s channel and campaign', () => {
    expect(opened).toMatchObject({
      status: 'open',
      stage: { id: 'qualification' },
      channel: 'web_form',
      campaign: 'spring-webinar',
      validFrom: opportunityOpenedV1Example.openedAt,
    });
  });

  it('move to the new stage from the time of the change', () => {
    const next = nextOpportunityState(opened, event('OpportunityStageChanged', opportunityStageChangedV1Example));
    expect(next).toMatchObject({ stage: { id: 'proposal' }, validFrom: opportunityStageChangedV1Example.changedAt });
  });

  it('take the final amount when won, and are closed then', () => {
    const next = nextOpportunityState(opened, event('OpportunityWon', opportunityWonV1Example));
    expect(next).toMatchObject({ status: 'won', amount: 51_000, closedAt: opportunityWonV1Example.wonAt });
  });

  it('forget the lost reason when reopened', () => {
    const lost = nextOpportunityState(opened, event('OpportunityLost', opportunityLostV1Example));
    const reopened = nextOpportunityState(lost ?? opened, event('OpportunityReopened', opportunityReopenedV1Example));
    expect(lost).toMatchObject({ status: 'lost', lostReason: 'price' });
    expect(reopened).toMatchObject({ status: 'open', lostReason: null, closedAt: null, stage: { id: 'negotiation' } });
  });

  it('never begin before the state they follow', () => {
    const early = { ...opportunityStageChangedV1Example, changedAt: '2025-01-01T00:00:00.000Z' };
    expect(nextOpportunityState(opened, event('OpportunityStageChanged', early))?.validFrom).toBe(opened.validFrom);
  });

  it('never begin before the state they follow by a microsecond either, as timestamptz keeps them', () => {
    const state = { ...opened, validFrom: '2025-04-07T14:05:00.000500Z' };
    const early = { ...opportunityStageChangedV1Example, changedAt: '2025-04-07T14:05:00.000100Z' };
    const later = { ...opportunityStageChangedV1Example, changedAt: '2025-04-07T14:05:00.000900Z' };
    expect(nextOpportunityState(state, event('OpportunityStageChanged', early))?.validFrom).toBe(state.validFrom);
    expect(nextOpportunityState(state, event('OpportunityStageChanged', later))?.validFrom).toBe(later.changedAt);
  });

  it('do not change for details, which no report shows', () => {
    const details = {
      opportunityId: envelope.aggregateId,
      tenantId: 'acme',
      updatedAt: '2025-05-01T00:00:00Z',
      fields: { a: 1 },
    };
    expect(nextOpportunityState(opened, event('OpportunityDetailsUpdated', details))).toBeUndefined();
  });
});

describe('stage stays', () => {
  it('end with the direction of a stage change and begin in the new stage', () => {
    const change = event('OpportunityStageChanged', opportunityStageChangedV1Example);
    const next = nextOpportunityState(opened, change);
    expect(next && stageVisitChange(change, next)).toEqual({
      leave: { at: opportunityStageChangedV1Example.changedAt, exit: 'forward' },
      enter: { at: opportunityStageChangedV1Example.changedAt, stage: opportunityStageChangedV1Example.toStage },
    });
  });

  it('end as won or lost when the deal closes', () => {
    const won = event('OpportunityWon', opportunityWonV1Example);
    const next = nextOpportunityState(opened, won);
    expect(next && stageVisitChange(won, next)).toEqual({ leave: { at: opportunityWonV1Example.wonAt, exit: 'won' } });
  });
});
