import type { LeadTouchpoint } from '@l2o/contracts';
import { evolveLead, initialLeadState } from '@l2o/domain';
import type { Lead, LeadEvent } from '@l2o/domain';
import type { RecordedEvent } from '@l2o/event-store';
import { HttpError } from '@l2o/service-kit';

/** A lead that exists: active or merged into another. */
export type KnownLead = Exclude<Lead, { status: 'none' }>;

/** The Lead a stream's events add up to. */
export function foldLead(past: readonly RecordedEvent[]): Lead {
  // Stored events are trusted to be the decider's own; upcasting older versions belongs here once one exists.
  return past.reduce(
    (state, recorded) => evolveLead(state, { type: recorded.type, data: recorded.data } as LeadEvent),
    initialLeadState(),
  );
}

/**
 * The lead if it exists for the caller's tenant. Another tenant's lead is answered as missing, so
 * ids cannot be probed across tenants.
 * @throws HttpError 404 otherwise.
 */
export function tenantLead(lead: Lead, tenantId: string): KnownLead {
  if (lead.status === 'none' || lead.tenantId !== tenantId) {
    throw new HttpError({ status: 404, code: 'not_found', field: 'leadId', reason: 'no such lead' });
  }
  return lead;
}

/** The touchpoint the lead was captured through: where it came from, for revenue attribution. */
export function capturedTouchpoint(past: readonly RecordedEvent[]): LeadTouchpoint | undefined {
  const captured = past.find((recorded) => recorded.type === 'LeadCaptured');
  return (captured?.data as { touchpoint?: LeadTouchpoint } | undefined)?.touchpoint;
}
