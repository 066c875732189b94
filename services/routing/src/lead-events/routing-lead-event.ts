import { PermanentError } from '@l2o/bus';
import { catalogueEntryByCloudEventType, cloudEventTypesOf } from '@l2o/contracts';
import type { CloudEvent } from '@l2o/contracts';
import type { RoutingLeadEvent, RoutingLeadEventType } from '../routing-leads/routing-lead.ts';

const followed: readonly RoutingLeadEventType[] = [
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
];

/** The CloudEvents types routing's lead consumer receives; the bus skips the others from the headers. */
export const routingLeadEventTypes: readonly string[] = cloudEventTypesOf(followed);

/** A lead event as routing handles it: the parsed event and where it sits in the lead's stream. */
export type ConsumedLeadEvent = {
  event: RoutingLeadEvent;
  leadId: string;
  tenantId: string;
  streamVersion: number;
  /** When the store committed it. */
  recordedAt: Date;
};

/**
 * The routing view of a consumed CloudEvent, or `undefined` for a type routing does not follow.
 * @throws ZodError for data that breaks its schema and PermanentError for an envelope that disagrees
 * with its data; the bus dead-letters both.
 */
export function consumedLeadEvent(cloudEvent: CloudEvent): ConsumedLeadEvent | undefined {
  const entry = catalogueEntryByCloudEventType(cloudEvent.type);
  if (entry === undefined || !(followed as readonly string[]).includes(entry.name)) return undefined;
  const data = entry.schema.parse(cloudEvent.data) as { leadId?: unknown; tenantId?: unknown };
  if (data.leadId !== cloudEvent.subject || data.tenantId !== cloudEvent.tenantid) {
    throw new PermanentError(
      `event ${cloudEvent.id}: lead ${cloudEvent.subject} of tenant ${cloudEvent.tenantid} does not match its data`,
    );
  }
  // The catalogue entry matched a followed name and parsed the data with its schema: the pair is one RoutingLeadEvent.
  const event = { type: entry.name, data } as RoutingLeadEvent;
  return {
    event,
    leadId: cloudEvent.subject,
    tenantId: cloudEvent.tenantid,
    streamVersion: cloudEvent.streamversion,
    recordedAt: new Date(cloudEvent.time),
  };
}
