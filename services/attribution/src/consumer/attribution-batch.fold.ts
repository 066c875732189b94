import type { StreamEvent } from '@l2o/stream-consumer';
import { asWonJourney } from '../journeys/journeys.repository.ts';
import type { Journey, WonJourney } from '../journeys/journeys.repository.ts';
import type { Milestone } from '../models/index.ts';
import { compareText } from '../models/touchpoint.ts';
import type { AttributionLead } from '../touchpoints/attribution-leads.repository.ts';
import { touchOfLeadEvent } from '../touchpoints/lead-touch.ts';
import type { StoredTouch } from '../touchpoints/lead-touch.ts';
import type { TouchRow } from '../touchpoints/touchpoints.repository.ts';

/** The lead events attribution reads: touches, the MQL milestone, the conversion and merges. */
export const leadEventNames = [
  'LeadCaptured',
  'LeadTouchRecorded',
  'LeadActivityRecorded',
  'LeadQualified',
  'LeadConverted',
  'LeadsMerged',
] as const;

/** The opportunity events attribution reads: the opening, and how the deal ends or reopens. */
export const opportunityEventNames = [
  'OpportunityOpened',
  'OpportunityWon',
  'OpportunityLost',
  'OpportunityReopened',
] as const;

/** Every event type the attribution consumer applies; the others of a followed stream only move its position. */
export const attributionEventNames: readonly string[] = [...leadEventNames, ...opportunityEventNames];

/** What a batch reads before it applies its events: the leads of the families it touches, their touches, its journeys. */
export type AttributionSnapshot = {
  leads: readonly AttributionLead[];
  touches: readonly StoredTouch[];
  journeys: readonly Journey[];
};

/** A won deal whose touches are all in, at the point of the batch where it became so, to be attributed. */
export type WinToAttribute = { deal: WonJourney; touches: TouchRow[]; cause: StreamEvent };

/** What a batch writes, and the wins it attributes. */
export type AttributionChanges = {
  /** Leads merged into another, each with the survivor it has at the end of the batch. */
  merges: Array<{ leadId: string; tenantId: string; mergedInto: string }>;
  conversions: Array<{ leadId: string; opportunityId: string }>;
  newTouches: StoredTouch[];
  /** Milestones added to and taken off touches stored before the batch. */
  milestones: Array<{ touchId: string; added: string[]; removed: string[] }>;
  /** Journeys the batch changed, as it leaves them. */
  journeys: Journey[];
  /** Tenants whose first lead the batch may hold, for the recalculation schedule. */
  recomputeTenants: string[];
  wins: WinToAttribute[];
};

type TouchEntry = { touch: StoredTouch; stored: boolean; before: readonly string[] };

/**
 * Applies a batch of lead and opportunity events, in order, to what it read, exactly as applying them one
 * by one would: touches are stored, milestones land on the latest touch of the lead's journey (the lead and
 * the leads merged into it) at or before their time unless the journey has them already (the first MQL,
 * opening or win counts), merges and conversions are recorded, and each win is attributed at the point where
 * both the win and the lead's conversion are in, whichever came second. Pure: what it reads comes in, what to
 * write goes out.
 * @throws Error when an event names a lead or a journey the snapshot lacks (the caller loads them all).
 */
export function foldAttributionBatch(options: {
  snapshot: AttributionSnapshot;
  events: readonly StreamEvent[];
}): AttributionChanges {
  const { snapshot } = options;
  const leads = new Map(snapshot.leads.map((lead) => [key(lead.leadId), { ...lead }]));
  const children = new Map<string, Set<string>>();
  const adopt = (leadId: string, parent: string | undefined): void => {
    if (parent !== undefined) children.set(key(parent), (children.get(key(parent)) ?? new Set()).add(key(leadId)));
  };
  for (const lead of leads.values()) adopt(lead.leadId, lead.mergedInto);

  const touches = new Map<string, TouchEntry>();
  const touchesOf = new Map<string, TouchEntry[]>();
  const keepTouch = (entry: TouchEntry): void => {
    touches.set(entry.touch.touchId, entry);
    const leadKey = key(entry.touch.leadId);
    touchesOf.set(leadKey, [...(touchesOf.get(leadKey) ?? []), entry]);
  };
  for (const touch of snapshot.touches) {
    keepTouch({ touch: { ...touch, milestones: [...touch.milestones] }, stored: true, before: touch.milestones });
  }
  const journeys = new Map(snapshot.journeys.map((journey) => [key(journey.opportunityId), { ...journey }]));
  const changedJourneys = new Set<string>();
  const merges = new Map<string, { leadId: string; tenantId: string; mergedInto: string }>();
  const conversions = new Map<string, { leadId: string; opportunityId: string }>();
  const recomputeTenants = new Set<string>();
  const wins: WinToAttribute[] = [];

  /** The touches of the lead's journey in the tenant: its own and those of every lead merged into it, at any depth. */
  const journeyOf = (tenantId: string, leadId: string): TouchEntry[] => {
    const family = new Set([key(leadId)]);
    for (const member of family) for (const child of children.get(member) ?? []) family.add(child);
    return [...family].flatMap((member) => touchesOf.get(member) ?? []).filter((e) => e.touch.tenantId === tenantId);
  };
  const markMilestone = (options: { tenantId: string; leadId: string; milestone: Milestone; at: string }): void => {
    const journey = journeyOf(options.tenantId, options.leadId);
    if (journey.some((entry) => entry.touch.milestones.includes(options.milestone))) return;
    const at = Date.parse(options.at);
    const target = journey
      .filter((entry) => Date.parse(entry.touch.occurredAt) <= at)
      .sort(inJourneyOrder)
      .at(-1);
    target?.touch.milestones.push(options.milestone);
  };
  const removeMilestone = (options: { tenantId: string; leadId: string; milestone: Milestone }): void => {
    for (const entry of journeyOf(options.tenantId, options.leadId)) {
      entry.touch.milestones = entry.touch.milestones.filter((milestone) => milestone !== options.milestone);
    }
  };
  const journeyNamed = (opportunityId: string): Journey => {
    const journey = journeys.get(key(opportunityId));
    if (journey === undefined) throw new Error(`journey ${opportunityId} was not loaded for the batch`);
    changedJourneys.add(key(opportunityId));
    return journey;
  };
  const leadNamed = (leadId: string): AttributionLead => {
    const lead = leads.get(key(leadId));
    if (lead === undefined) throw new Error(`lead ${leadId} was not loaded for the batch`);
    return lead;
  };
  /** Attributes the deal if it is won and its lead converted: a win handled before the conversion waits for it. */
  const attributeIfWon = (opportunityId: string, cause: StreamEvent): void => {
    const deal = asWonJourney(journeys.get(key(opportunityId)));
    if (deal === undefined) return;
    const { tenantId, leadId } = deal;
    // The opening or the win may have been applied before the lead's touches; marking again is idempotent.
    if (deal.openedAt !== undefined) {
      markMilestone({ tenantId, leadId, milestone: 'opportunity_created', at: deal.openedAt });
    }
    markMilestone({ tenantId, leadId, milestone: 'closed_won', at: deal.wonAt });
    const touchRows = journeyOf(tenantId, leadId).sort(inJourneyOrder).map(toTouchRow);
    wins.push({ deal: { ...deal }, touches: touchRows, cause });
  };

  for (const event of options.events) {
    switch (event.type) {
      case 'LeadCaptured':
      case 'LeadTouchRecorded':
      case 'LeadActivityRecorded': {
        if (event.type === 'LeadCaptured') recomputeTenants.add(event.tenantId);
        const touch = touchOfLeadEvent(event, { eventId: event.id, streamVersion: event.streamVersion });
        // A touch stored already (its id is the event's) stays as it is.
        if (touch !== undefined && !touches.has(touch.touchId)) {
          keepTouch({ touch: { ...touch, milestones: [...touch.milestones] }, stored: false, before: [] });
        }
        break;
      }
      case 'LeadQualified': {
        const { tenantId, leadId, qualifiedAt } = event.data;
        markMilestone({ tenantId, leadId, milestone: 'mql', at: qualifiedAt });
        break;
      }
      case 'LeadConverted': {
        const { leadId, opportunityId } = event.data;
        leadNamed(leadId).opportunityId = opportunityId;
        conversions.set(key(leadId), { leadId, opportunityId });
        Object.assign(journeyNamed(opportunityId), { leadId, leadConverted: true });
        // Attributed here, not only on the win, when the win was applied before the lead caught up.
        attributeIfWon(opportunityId, event);
        break;
      }
      case 'LeadsMerged': {
        const { tenantId, mergedLeadId, survivorLeadId } = event.data;
        const merged = leads.get(key(mergedLeadId)) ?? { leadId: mergedLeadId, tenantId };
        // A lead known under another tenant is none of this merge's business.
        if (merged.tenantId !== tenantId) break;
        if (merged.mergedInto !== undefined) children.get(key(merged.mergedInto))?.delete(key(mergedLeadId));
        merged.mergedInto = survivorLeadId;
        leads.set(key(mergedLeadId), merged);
        adopt(mergedLeadId, survivorLeadId);
        merges.set(key(mergedLeadId), { leadId: mergedLeadId, tenantId, mergedInto: survivorLeadId });
        break;
      }
      case 'OpportunityOpened': {
        const { opportunityId, tenantId, leadId, openedAt } = event.data;
        Object.assign(journeyNamed(opportunityId), { leadId, openedAt: iso(openedAt) });
        markMilestone({ tenantId, leadId, milestone: 'opportunity_created', at: openedAt });
        break;
      }
      case 'OpportunityWon': {
        const { opportunityId, tenantId, wonAt, amount, currency } = event.data;
        const journey = Object.assign(journeyNamed(opportunityId), {
          outcome: 'won',
          wonAt: iso(wonAt),
          amountCents: Math.round(amount * 100),
          currency,
        } satisfies Partial<Journey>);
        if (journey.leadId !== undefined) {
          markMilestone({ tenantId, leadId: journey.leadId, milestone: 'closed_won', at: wonAt });
        }
        attributeIfWon(opportunityId, event);
        break;
      }
      case 'OpportunityLost':
        journeyNamed(event.data.opportunityId).outcome = 'lost';
        break;
      case 'OpportunityReopened': {
        const { opportunityId, tenantId } = event.data;
        const journey = journeyNamed(opportunityId);
        journey.outcome = 'open';
        if (journey.leadId !== undefined)
          removeMilestone({ tenantId, leadId: journey.leadId, milestone: 'closed_won' });
        break;
      }
    }
  }

  const entries = [...touches.values()];
  return {
    merges: [...merges.values()],
    conversions: [...conversions.values()],
    newTouches: entries.filter((entry) => !entry.stored).map((entry) => entry.touch),
    milestones: entries
      .filter((entry) => entry.stored)
      .map((entry) => ({
        touchId: entry.touch.touchId,
        added: entry.touch.milestones.filter((milestone) => !entry.before.includes(milestone)),
        removed: entry.before.filter((milestone) => !entry.touch.milestones.includes(milestone)),
      }))
      .filter((change) => change.added.length > 0 || change.removed.length > 0),
    journeys: [...changedJourneys].map((id) => journeys.get(id)).filter((journey) => journey !== undefined),
    recomputeTenants: [...recomputeTenants],
    wins,
  };
}

/** Journey order: by time, then by touch id, as the stored journey is read. */
function inJourneyOrder(a: TouchEntry, b: TouchEntry): number {
  return (
    Date.parse(a.touch.occurredAt) - Date.parse(b.touch.occurredAt) || compareText(a.touch.touchId, b.touch.touchId)
  );
}

function toTouchRow(entry: TouchEntry): TouchRow {
  const { touch } = entry;
  return {
    touchId: touch.touchId,
    leadId: touch.leadId,
    occurredAt: iso(touch.occurredAt),
    channel: touch.channel,
    ...(touch.campaign === undefined ? {} : { campaign: touch.campaign }),
    ...(touch.medium === undefined ? {} : { medium: touch.medium }),
    milestones: [...touch.milestones],
  };
}

/** Map key of a UUID: the database compares them without case. */
function key(id: string): string {
  return id.toLowerCase();
}

/** A time as the database gives it back, so a touch or deal reads the same whether it was stored before or in the batch. */
function iso(at: string): string {
  return new Date(at).toISOString();
}
