import type { LeadEvent } from './lead.events.ts';
import { evolveLifecycle } from './lead-lifecycle.evolve.ts';
import type { ActiveLead, Lead } from './lead.state.ts';
import { applyProfileChanges, capturedProfile } from './lead-profile.ts';

/** The Lead after one of its events; event types it does not know leave it unchanged. */
export function evolve(lead: Lead, event: LeadEvent): Lead {
  switch (event.type) {
    case 'LeadCaptured':
      return {
        status: 'active',
        leadId: event.data.leadId,
        tenantId: event.data.tenantId,
        capturedAt: event.data.capturedAt,
        profile: capturedProfile(event.data),
        appliedCaptureIds: event.data.captureId === undefined ? [] : [event.data.captureId],
        lifecycle: { stage: 'new', previousOwnerIds: [], responseSlaBreaches: 0 },
      };
    case 'LeadTouchRecorded':
    case 'LeadActivityRecorded':
      return lead.status === 'active' ? withCaptureIds(lead, [event.data.captureId]) : lead;
    case 'LeadProfileUpdated':
      return lead.status === 'active' ? { ...lead, profile: applyProfileChanges(lead.profile, event.data) } : lead;
    case 'LeadsMerged':
      if (lead.status !== 'active') return lead;
      if (event.data.role === 'merged') {
        return {
          status: 'merged',
          leadId: lead.leadId,
          tenantId: lead.tenantId,
          mergedInto: event.data.survivorLeadId,
        };
      }
      // The merged lead's captures now resolve here, so their retries must stay duplicates.
      return withCaptureIds(lead, event.data.absorbedCaptureIds ?? []);
    case 'LeadScored':
    case 'LeadQualified':
    case 'LeadQualificationRevoked':
    case 'LeadAssigned':
    case 'LeadAccepted':
    case 'LeadContacted':
    case 'LeadRejected':
    case 'LeadDisqualified':
    case 'LeadResponseSlaBreached':
    case 'LeadRecycled':
    case 'LeadEscalated':
    case 'LeadSalesQualified':
    case 'LeadConverted':
      return lead.status === 'active' ? { ...lead, lifecycle: evolveLifecycle(lead.lifecycle, event) } : lead;
    // Streams may hold event types newer than this build; they change nothing it decides on.
    default:
      return lead;
  }
}

function withCaptureIds(lead: ActiveLead, captureIds: ReadonlyArray<string | undefined>): ActiveLead {
  const added = captureIds.filter(
    (captureId, index): captureId is string =>
      captureId !== undefined && !lead.appliedCaptureIds.includes(captureId) && captureIds.indexOf(captureId) === index,
  );
  return added.length === 0 ? lead : { ...lead, appliedCaptureIds: [...lead.appliedCaptureIds, ...added] };
}
