import type { StreamEvent } from '@l2o/stream-consumer';
import type { RoutingLeadEvent, RoutingLeadEventType } from '../routing-leads/routing-lead.ts';

const followed: ReadonlySet<string> = new Set<RoutingLeadEventType>([
  'LeadCaptured',
  'LeadProfileUpdated',
  'LeadScored',
  'LeadQualified',
  'LeadAssigned',
  'LeadAccepted',
  'LeadContacted',
  'LeadRejected',
  'LeadRecycled',
  'LeadDisqualified',
  'LeadConverted',
  'LeadsMerged',
]);

/** Whether routing applies events of this name; the others of a lead's stream only move its position. */
export function followsLeadEvent(eventName: string): boolean {
  return followed.has(eventName);
}

/** The routing view of a lead stream event, or `undefined` for a type routing does not follow. */
export function routingLeadEventOf(event: StreamEvent): RoutingLeadEvent | undefined {
  // The kit parsed `data` with the catalogue schema of `type`, the very pair RoutingLeadEvent names.
  return followsLeadEvent(event.type) ? ({ type: event.type, data: event.data } as RoutingLeadEvent) : undefined;
}
