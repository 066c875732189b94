import { PermanentError } from '@l2o/bus';
import type { EventHandler } from '@l2o/bus';
import { leadSubmittedV1Type } from '@l2o/contracts';
import { currentTraceparent } from '@l2o/service-kit';
import type { CaptureResult, LeadCapturer } from '../capture/lead-capturer.ts';

/** The capture id of an intake message: its CloudEvent id, which the producer keeps when it re-sends. */
function intakeCaptureId(eventId: string): string {
  return `intake:${eventId}`;
}

/** The dead-letter reason of a rejected submission: every field with why, e.g. `lead submission rejected: email: Invalid email address`. */
function rejectionReason(rejection: Extract<CaptureResult, { status: 'rejected' }>): string {
  const fields = rejection.errors.map((error) => `${error.field}: ${error.reason}`).join('; ');
  return rejection.code === 'rule_violation'
    ? `lead submission refused by the lead: ${fields}`
    : `lead submission rejected: ${fields}`;
}

/**
 * Captures the lead an intake message submits. A rejected submission can never succeed, so it is
 * dead-lettered with the reason; accepted, merged and duplicate are all done.
 */
export function onLeadSubmitted(options: { capturer: LeadCapturer }): EventHandler {
  return async ({ event }) => {
    // The topic is ingestion's alone: a type it does not know is parked for replay, not skipped and lost.
    if (event.type !== leadSubmittedV1Type) {
      throw new PermanentError(`unsupported ce_type ${JSON.stringify(event.type)}: expected ${leadSubmittedV1Type}`);
    }
    const result = await options.capturer.capture({
      tenantId: event.tenantid,
      submission: event.data,
      defaultChannel: 'kafka_intake',
      captureId: intakeCaptureId(event.id),
      correlationId: event.correlationid ?? event.id,
      causationId: event.id,
      // The consumer span's context when tracing runs, so the lead's events join the producer's trace.
      traceparent: currentTraceparent() ?? event.traceparent,
    });
    if (result.status === 'rejected') throw new PermanentError(rejectionReason(result));
  };
}
