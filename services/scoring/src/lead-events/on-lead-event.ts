import type pg from 'pg';
import { parseConsumedEvent, PermanentError } from '@l2o/bus';
import type { EventHandler } from '@l2o/bus';
import { RuleViolation } from '@l2o/domain';
import type { EventStore } from '@l2o/event-store';
import { currentTraceparent } from '@l2o/service-kit';
import { scoringMetadata } from '../score-lead/rescore-lead.ts';
import type { ScoringMetrics } from '../scoring-metrics.ts';
import { applyLeadEventAndScore } from './apply-lead-event.ts';

/** The lead events that change what a lead is scored on; scoring's own output (LeadScored…) is not among them. */
export const scoredLeadEventNames = [
  'LeadCaptured',
  'LeadProfileUpdated',
  'LeadActivityRecorded',
  'LeadTouchRecorded',
  'LeadsMerged',
] as const;

/** Applies each lead event to scoring's view of the lead and sends the lead its new score. */
export function onLeadEvent(options: {
  pool: pg.Pool;
  store: Pick<EventStore, 'readStream' | 'appendToStream'>;
  clock: () => Date;
  rescoreIntervalMs: number;
  metrics: ScoringMetrics;
}): EventHandler {
  return async ({ event }) => {
    const parsed = parseConsumedEvent(event, scoredLeadEventNames);
    if (parsed.data.leadId !== event.subject) {
      throw new PermanentError(`event ${event.id} of lead ${event.subject} names lead ${parsed.data.leadId}`);
    }
    try {
      await applyLeadEventAndScore({
        pool: options.pool,
        store: options.store,
        event: parsed,
        version: event.streamversion,
        metadata: scoringMetadata({
          tenantId: event.tenantid,
          correlationId: event.correlationid ?? event.id,
          causationId: event.id,
          // The consumer span's context when tracing runs, so the score joins the lead's trace.
          traceparent: currentTraceparent() ?? event.traceparent,
        }),
        now: options.clock(),
        rescoreIntervalMs: options.rescoreIntervalMs,
        metrics: options.metrics,
      });
    } catch (error) {
      // A lead refusing a score (another tenant's, never captured) will refuse it on every retry.
      if (error instanceof RuleViolation) throw new PermanentError(error.message, { cause: error });
      throw error;
    }
  };
}
