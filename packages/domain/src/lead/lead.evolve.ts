import { captureFingerprint } from './capture-fingerprint.ts';
import type { LeadEvent } from './lead.events.ts';
import type { Lead } from './lead.state.ts';

/** The Lead after one of its events. */
export function evolve(lead: Lead, event: LeadEvent): Lead {
  switch (event.type) {
    case 'LeadCaptured':
      return {
        status: 'captured',
        leadId: event.data.leadId,
        tenantId: event.data.tenantId,
        capturedAt: event.data.capturedAt,
        captureFingerprint: captureFingerprint(event.data),
      };
    // Streams may hold event types newer than this build; they change nothing it decides on.
    default:
      return lead;
  }
}
