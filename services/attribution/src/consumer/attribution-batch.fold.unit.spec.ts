import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CloudEvent } from '@l2o/contracts';
import { streamEventFromCloudEvent } from '@l2o/stream-consumer';
import { leadJourney } from '../attribution-events.fixture.ts';
import type { Journey } from '../journeys/journeys.repository.ts';
import type { AttributionLead } from '../touchpoints/attribution-leads.repository.ts';
import type { StoredTouch } from '../touchpoints/lead-touch.ts';
import { foldAttributionBatch } from './attribution-batch.fold.ts';
import type { WinToAttribute } from './attribution-batch.fold.ts';

type Stored = {
  leads: Map<string, AttributionLead>;
  touches: Map<string, StoredTouch>;
  journeys: Map<string, Journey>;
};

/**
 * Applies one batch as the consumer does: the rows it locks or creates first, then the fold, then its
 * changes written back; the snapshot holds everything stored, more than the consumer loads.
 */
function applyBatch(stored: Stored, cloudEvents: readonly CloudEvent[]): WinToAttribute[] {
  const events = cloudEvents.map(streamEventFromCloudEvent);
  for (const event of events) {
    const opportunityId =
      event.aggregate === 'opportunity'
        ? event.aggregateId
        : event.type === 'LeadConverted'
          ? event.data.opportunityId
          : undefined;
    if (opportunityId !== undefined && !stored.journeys.has(opportunityId)) {
      stored.journeys.set(opportunityId, {
        opportunityId,
        tenantId: event.tenantId,
        leadConverted: false,
        outcome: 'open',
      });
    }
    if (event.aggregate === 'lead' && !stored.leads.has(event.aggregateId)) {
      stored.leads.set(event.aggregateId, { leadId: event.aggregateId, tenantId: event.tenantId });
    }
  }
  const changes = foldAttributionBatch({
    snapshot: {
      leads: [...stored.leads.values()],
      touches: [...stored.touches.values()],
      journeys: [...stored.journeys.values()],
    },
    events,
  });
  for (const merge of changes.merges) {
    const lead = stored.leads.get(merge.leadId) ?? { leadId: merge.leadId, tenantId: merge.tenantId };
    if (lead.tenantId === merge.tenantId) stored.leads.set(merge.leadId, { ...lead, mergedInto: merge.mergedInto });
  }
  for (const { leadId, opportunityId } of changes.conversions) {
    const lead = stored.leads.get(leadId);
    if (lead) stored.leads.set(leadId, { ...lead, opportunityId });
  }
  for (const touch of changes.newTouches)
    if (!stored.touches.has(touch.touchId)) stored.touches.set(touch.touchId, touch);
  for (const { touchId, added, removed } of changes.milestones) {
    const touch = stored.touches.get(touchId);
    if (touch === undefined) continue;
    const kept = touch.milestones.filter((milestone) => !removed.includes(milestone));
    stored.touches.set(touchId, {
      ...touch,
      milestones: [...kept, ...added.filter((milestone) => !kept.includes(milestone))],
    });
  }
  for (const journey of changes.journeys) stored.journeys.set(journey.opportunityId, journey);
  return changes.wins;
}

function inBatches(batches: CloudEvent[][]) {
  const stored: Stored = { leads: new Map(), touches: new Map(), journeys: new Map() };
  const wins = batches.flatMap((batch) => applyBatch(stored, batch));
  return {
    leads: [...stored.leads.values()].sort((a, b) => a.leadId.localeCompare(b.leadId)),
    touches: [...stored.touches.values()].sort((a, b) => a.touchId.localeCompare(b.touchId)),
    journeys: [...stored.journeys.values()].sort((a, b) => a.opportunityId.localeCompare(b.opportunityId)),
    wins: wins.map(({ deal, touches, cause }) => ({ deal, touches, cause: cause.id })),
  };
}

describe('folding a batch of attribution events', () => {
  const tenantId = 'acme';
  const survivor = leadJourney({ tenantId });
  const merged = leadJourney({ tenantId });
  const late = leadJourney({ tenantId });
  const events = [
    merged.captured({ channel: 'partner', occurredAt: '2025-02-01T10:00:00.000Z' }),
    survivor.captured({ channel: 'web_form', campaign: 'spring', occurredAt: '2025-03-01T10:00:00.000Z' }),
    merged.mergedInto(survivor.leadId, '2025-03-05T10:00:00.000Z'),
    survivor.touched({ channel: 'ad', occurredAt: '2025-03-10T10:00:00.000Z' }),
    survivor.qualified('2025-03-11T10:00:00.000Z'),
    late.opened('2025-04-01T10:00:00.000Z'),
    late.won('2025-05-01T10:00:00.000Z', 300),
    survivor.converted('2025-04-01T10:00:00.000Z'),
    survivor.opened('2025-04-01T10:00:00.000Z'),
    late.captured({ channel: 'event', occurredAt: '2025-03-20T10:00:00.000Z' }),
    survivor.won('2025-06-01T10:00:00.000Z', 1_000),
    survivor.reopened('2025-06-05T10:00:00.000Z'),
    late.converted('2025-04-01T10:00:00.000Z'),
    survivor.touched({ channel: 'other', occurredAt: '2025-06-07T10:00:00.000Z' }),
    survivor.won('2025-06-10T10:00:00.000Z', 1_200),
  ];

  it('tags milestones on the journey, merged leads included, and attributes each win where it became whole', () => {
    const result = inBatches([events]);

    const milestonesByChannel = Object.fromEntries(result.touches.map((touch) => [touch.channel, touch.milestones]));
    expect(milestonesByChannel).toEqual({
      partner: ['lead_created'],
      web_form: ['lead_created'],
      ad: ['mql', 'opportunity_created'],
      event: ['lead_created', 'opportunity_created', 'closed_won'],
      other: ['closed_won'],
    });
    expect(result.wins.map((win) => [win.deal.opportunityId, win.deal.wonAt, win.touches.length])).toEqual([
      [survivor.opportunityId, '2025-06-01T10:00:00.000Z', 3],
      [late.opportunityId, '2025-05-01T10:00:00.000Z', 1],
      [survivor.opportunityId, '2025-06-10T10:00:00.000Z', 4],
    ]);
    // At the first win, the ad touch held closed_won; the reopening took it off before the second.
    expect(result.wins[0]?.touches.map((touch) => touch.milestones)).toEqual([
      ['lead_created'],
      ['lead_created'],
      ['mql', 'opportunity_created', 'closed_won'],
    ]);
    expect(result.journeys.find((journey) => journey.opportunityId === survivor.opportunityId)).toMatchObject({
      outcome: 'won',
      amountCents: 120_000,
      leadConverted: true,
    });
  });

  it('ends with the same rows and wins however the events are split into batches', () => {
    const whole = inBatches([events]);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: events.length - 1 }), { maxLength: 6 }), (cuts) => {
        const bounds = [0, ...cuts.sort((a, b) => a - b), events.length];
        expect(inBatches(bounds.slice(1).map((end, index) => events.slice(bounds[index], end)))).toEqual(whole);
      }),
    );
  });

  it('leaves a lead known under another tenant out of a merge', () => {
    const foreign = leadJourney({ tenantId: 'globex' });
    const stored: Stored = { leads: new Map(), touches: new Map(), journeys: new Map() };
    applyBatch(stored, [foreign.captured({ channel: 'api', occurredAt: '2025-03-01T10:00:00.000Z' })]);

    const changes = foldAttributionBatch({
      snapshot: { leads: [...stored.leads.values()], touches: [], journeys: [] },
      events: [
        streamEventFromCloudEvent(
          leadJourney({ tenantId, leadId: foreign.leadId }).mergedInto(survivor.leadId, '2025-03-05T10:00:00.000Z'),
        ),
      ],
    });

    expect(changes.merges).toEqual([]);
  });
});
