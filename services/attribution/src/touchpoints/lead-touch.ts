import type { CatalogueEvent } from '@l2o/contracts';
import type { Milestone } from '../models/index.ts';

/** A touch as attribution stores it, taken from one lead event. */
export type NewTouch = {
  /** The id of the lead event, unique across the store, so a redelivery inserts nothing new. */
  touchId: string;
  tenantId: string;
  leadId: string;
  occurredAt: string;
  channel: string;
  campaign?: string;
  medium?: string;
  milestones: Milestone[];
  sourceVersion: number;
};

/** A touch as stored: its milestones are those the lead's journey gave it since. */
export type StoredTouch = Omit<NewTouch, 'milestones'> & { milestones: string[] };

/** The lead events that bring a touch. */
export type TouchEvent = CatalogueEvent<'LeadCaptured' | 'LeadTouchRecorded' | 'LeadActivityRecorded'>;

/**
 * The touch a lead event brings, or undefined for an activity that names neither a channel nor a campaign
 * (a page view of a known lead is behaviour, not marketing that reached them). An activity with a campaign
 * but no channel counts under `other`.
 */
export function touchOfLeadEvent(
  event: TouchEvent,
  source: { eventId: string; streamVersion: number },
): NewTouch | undefined {
  const base = { touchId: source.eventId, sourceVersion: source.streamVersion };
  switch (event.type) {
    case 'LeadCaptured':
    case 'LeadTouchRecorded': {
      const { touchpoint, leadId, tenantId } = event.data;
      const campaign = touchpoint.campaign ?? touchpoint.utm?.campaign;
      const medium = touchpoint.medium ?? touchpoint.utm?.medium;
      return {
        ...base,
        tenantId,
        leadId,
        occurredAt: touchpoint.occurredAt,
        channel: touchpoint.channel,
        ...(campaign === undefined ? {} : { campaign }),
        ...(medium === undefined ? {} : { medium }),
        milestones: event.type === 'LeadCaptured' ? ['lead_created'] : [],
      };
    }
    case 'LeadActivityRecorded': {
      const { activity, leadId, tenantId } = event.data;
      if (activity.channel === undefined && activity.campaign === undefined) return undefined;
      return {
        ...base,
        tenantId,
        leadId,
        occurredAt: activity.occurredAt,
        channel: activity.channel ?? 'other',
        ...(activity.campaign === undefined ? {} : { campaign: activity.campaign }),
        milestones: [],
      };
    }
  }
}
