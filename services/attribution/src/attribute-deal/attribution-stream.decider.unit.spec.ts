import { describe, expect, it } from 'vitest';
import type { AttributionModelName } from '@l2o/contracts';
import type { AttributionStreamEvent, AttributionStreamState } from './attribution-stream.decider.ts';
import { attributionEventId, decide, evolve, initialState } from './attribution-stream.decider.ts';
import type { AttributionDraft } from './deal-attributions.ts';

const wonAt = '2025-02-01T00:00:00.000Z';

function draft(model: AttributionModelName, amounts: number[], at = wonAt): AttributionDraft {
  const amount = amounts.reduce((a, b) => a + b, 0);
  return {
    opportunityId: '9a8b7c6d-5e4f-5a3b-8c2d-1e0f9a8b7c6d',
    leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
    tenantId: 'acme',
    model,
    calculatedAt: at,
    wonAt: at,
    amount,
    currency: 'EUR',
    credits: amounts.map((value, index) => ({
      touchId: `t${index}`,
      occurredAt: '2025-01-01T00:00:00.000Z',
      channel: 'web_form' as const,
      weight: value / amount,
      amount: value,
    })),
    byChannel: [{ channel: 'web_form', amount }],
    byCampaign: [{ campaign: null, amount }],
    config: {},
    fellBackToLinear: false,
  };
}

function given(events: AttributionStreamEvent[]): AttributionStreamState {
  return events.reduce(evolve, initialState());
}

describe('attribution stream', () => {
  describe('when a deal is won', () => {
    it('gives every model revision 1', () => {
      const events = decide(
        { type: 'AttributeWin', drafts: [draft('linear', [50, 50]), draft('markov', [60, 40])] },
        initialState(),
      );
      expect(events.map((event) => [event.data.model, event.data.revision])).toEqual([
        ['linear', 1],
        ['markov', 1],
      ]);
    });

    it('appends nothing for a win already attributed', () => {
      const state = given(decide({ type: 'AttributeWin', drafts: [draft('linear', [50, 50])] }, initialState()));
      expect(decide({ type: 'AttributeWin', drafts: [draft('linear', [50, 50])] }, state)).toEqual([]);
    });

    it('gives a win after a reopening the next revision', () => {
      const state = given(decide({ type: 'AttributeWin', drafts: [draft('linear', [50, 50])] }, initialState()));
      const later = '2025-03-01T00:00:00.000Z';
      const events = decide({ type: 'AttributeWin', drafts: [draft('linear', [60, 60], later)] }, state);
      expect(events.map((event) => [event.data.revision, event.data.wonAt])).toEqual([[2, later]]);
    });
  });

  describe('when learned weights change', () => {
    const won = given(
      decide({ type: 'AttributeWin', drafts: [draft('markov', [60, 40]), draft('shapley', [50, 50])] }, initialState()),
    );

    it('revises a model whose credits moved', () => {
      const events = decide({ type: 'ReviseLearnedCredits', drafts: [draft('markov', [70, 30])] }, won);
      expect(events.map((event) => [event.data.model, event.data.revision])).toEqual([['markov', 2]]);
    });

    it('leaves a model whose cents stayed as they were', () => {
      expect(decide({ type: 'ReviseLearnedCredits', drafts: [draft('shapley', [50, 50])] }, won)).toEqual([]);
    });

    it('leaves a deal whose current win was not attributed by the model', () => {
      expect(decide({ type: 'ReviseLearnedCredits', drafts: [draft('linear', [70, 30])] }, won)).toEqual([]);
    });

    it('leaves a deal won again but not yet attributed for that win', () => {
      const later = '2025-03-01T00:00:00.000Z';
      expect(decide({ type: 'ReviseLearnedCredits', drafts: [draft('markov', [70, 30], later)] }, won)).toEqual([]);
    });

    it('counts on from the latest revision', () => {
      const revised = given([
        ...decide({ type: 'AttributeWin', drafts: [draft('markov', [60, 40])] }, initialState()),
        ...decide({ type: 'ReviseLearnedCredits', drafts: [draft('markov', [70, 30])] }, won),
      ]);
      const events = decide({ type: 'ReviseLearnedCredits', drafts: [draft('markov', [80, 20])] }, revised);
      expect(events.map((event) => event.data.revision)).toEqual([3]);
    });
  });

  describe('event ids', () => {
    const ids = { opportunityId: '9a8b7c6d-5e4f-5a3b-8c2d-1e0f9a8b7c6d', model: 'linear' as const, revision: 1 };

    it('are the same for the same opportunity, model and revision', () => {
      expect(attributionEventId(ids)).toBe(
        attributionEventId({ ...ids, opportunityId: ids.opportunityId.toUpperCase() }),
      );
    });

    it('differ by revision', () => {
      expect(attributionEventId(ids)).not.toBe(attributionEventId({ ...ids, revision: 2 }));
    });
  });
});
