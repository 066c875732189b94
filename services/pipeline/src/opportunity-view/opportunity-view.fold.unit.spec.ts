import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { opportunityOpenedV1Example, opportunityStageChangedV1Example } from '@l2o/contracts';
import type { OpportunityStage } from '@l2o/contracts';
import type { OpportunityEvent } from '@l2o/domain';
import type { StoredStageTimer } from '../stage-sla/stage-timers.repository.ts';
import { foldOpportunityView } from './opportunity-view.fold.ts';
import type { OpportunityViewEvent } from './opportunity-view.fold.ts';
import type { PipelineOpportunity } from './pipeline-opportunity.projection.ts';

const openedAt = opportunityOpenedV1Example.openedAt;
const qualification = opportunityOpenedV1Example.stage;
const proposal = opportunityStageChangedV1Example.toStage;
const slas: Record<string, number> = { qualification: 14, proposal: 10 };
const slaDays = (_row: PipelineOpportunity, stageId: string) => slas[stageId];

function streamOf(opportunityId: string) {
  const ref = { opportunityId, tenantId: 'acme' };
  const at = (day: number) => new Date(Date.parse(openedAt) + day * 86_400_000).toISOString();
  const of = (event: OpportunityEvent): OpportunityViewEvent => ({ opportunityId, event });
  return {
    opened: of({ type: 'OpportunityOpened', data: { ...opportunityOpenedV1Example, ...ref } }),
    toProposal: (day: number) =>
      of({
        type: 'OpportunityStageChanged',
        data: {
          ...ref,
          changedAt: at(day),
          fromStage: qualification,
          toStage: proposal,
          direction: 'forward',
          by: 'r',
        },
      }),
    stalled: (stage: OpportunityStage, enteredStageAt: string, day: number) =>
      of({ type: 'OpportunityStalled', data: { ...ref, stalledAt: at(day), stage, enteredStageAt, slaDays: 14 } }),
    won: (day: number) =>
      of({
        type: 'OpportunityWon',
        data: { ...ref, wonAt: at(day), amount: 50_000, currency: 'EUR', stage: proposal },
      }),
    at,
  };
}

/** Folds `events` in the given batches, each on what the batches before it wrote, as the consumer does. */
function inBatches(batches: OpportunityViewEvent[][]) {
  let rows = new Map<string, PipelineOpportunity>();
  const timers = new Map<string, StoredStageTimer>();
  const key = (timer: StoredStageTimer) => `${timer.opportunityId}|${timer.stageId}|${timer.enteredAt}`;
  for (const events of batches) {
    const changes = foldOpportunityView({ rows, timers: [...timers.values()], slaDays, events });
    rows = new Map([...rows, ...changes.rows.map((row) => [row.opportunityId, row] as const)]);
    for (const timer of [...changes.endedTimers, ...changes.newTimers]) timers.set(key(timer), timer);
  }
  return { rows, timers: [...timers.values()].sort((a, b) => key(a).localeCompare(key(b))) };
}

describe('folding a batch of opportunity events', () => {
  const a = streamOf('0b1d6a52-0e3c-4a8e-8d3e-3f1d8f9a0001');

  it('sets a timer per stage entry and cancels the pending one when the stage changes', () => {
    const changes = foldOpportunityView({ rows: new Map(), timers: [], slaDays, events: [a.opened, a.toProposal(3)] });

    expect(changes.endedTimers).toEqual([]);
    expect(changes.newTimers).toMatchObject([
      { stageId: 'qualification', enteredAt: openedAt, slaDays: 14, cancelledAt: a.at(3) },
      { stageId: 'proposal', enteredAt: a.at(3), slaDays: 10, dueAt: new Date(a.at(13)) },
    ]);
    expect(changes.newTimers[1]).not.toHaveProperty('cancelledAt');
  });

  it('ends timers stored before the batch: a stall fires its entry, closing cancels the rest', () => {
    const before = foldOpportunityView({ rows: new Map(), timers: [], slaDays, events: [a.opened] });
    const rows = new Map(before.rows.map((row) => [row.opportunityId, row]));

    const changes = foldOpportunityView({
      rows,
      timers: before.newTimers,
      slaDays,
      events: [a.stalled(qualification, openedAt, 15), a.won(16)],
    });

    expect(changes.newTimers).toEqual([]);
    expect(changes.endedTimers).toEqual([
      expect.objectContaining({ stageId: 'qualification', firedAt: a.at(15), outcome: 'stalled' }),
    ]);
    expect(changes.rows[0]).toMatchObject({ status: 'won', stalled: true });
  });

  it('leaves a timer the poller already fired as it is', () => {
    const before = foldOpportunityView({ rows: new Map(), timers: [], slaDays, events: [a.opened] });
    const fired = before.newTimers.map((timer) => ({ ...timer, firedAt: a.at(14), outcome: 'moot' as const }));

    const changes = foldOpportunityView({
      rows: new Map(before.rows.map((row) => [row.opportunityId, row])),
      timers: fired,
      slaDays,
      events: [a.stalled(qualification, openedAt, 15), a.toProposal(16)],
    });

    expect(changes.endedTimers).toEqual([]);
    expect(changes.newTimers.map((timer) => timer.stageId)).toEqual(['proposal']);
  });

  it('sets no timer for a stage without an SLA in the tenant’s pipeline', () => {
    const changes = foldOpportunityView({ rows: new Map(), timers: [], slaDays: () => undefined, events: [a.opened] });

    expect(changes.newTimers).toEqual([]);
    expect(changes.rows).toHaveLength(1);
  });

  it('refuses a stream whose first event is not the opening', () => {
    expect(() => foldOpportunityView({ rows: new Map(), timers: [], slaDays, events: [a.won(3)] })).toThrow(
      /first event is not OpportunityOpened/,
    );
  });

  it('ends with the same rows and timers however the events are split into batches', () => {
    const b = streamOf('0b1d6a52-0e3c-4a8e-8d3e-3f1d8f9a0002');
    const events = [
      a.opened,
      b.opened,
      a.stalled(qualification, openedAt, 15),
      b.toProposal(2),
      a.toProposal(16),
      b.stalled(proposal, b.at(2), 13),
      a.won(20),
      b.won(21),
    ];
    const whole = inBatches([events]);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: events.length - 1 }), { maxLength: 4 }), (cuts) => {
        const bounds = [0, ...cuts.sort((x, y) => x - y), events.length];
        const batches = bounds.slice(1).map((end, index) => events.slice(bounds[index], end));
        expect(inBatches(batches)).toEqual(whole);
      }),
    );
    expect(whole.timers.filter((timer) => timer.outcome === 'stalled')).toHaveLength(2);
  });
});
