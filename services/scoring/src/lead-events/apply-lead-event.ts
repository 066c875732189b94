import type pg from 'pg';
import { PermanentError } from '@l2o/bus';
import type { EventMetadata, EventStore } from '@l2o/event-store';
import { withTransaction } from '@l2o/pg';
import { rescoreLead, saveRescore } from '../score-lead/rescore-lead.ts';
import { loadTenantScoring } from '../score-lead/tenant-scoring.ts';
import type { ScoringMetrics } from '../scoring-metrics.ts';
import { applyLeadEvent } from '../scoring-leads/scoring-lead.ts';
import type { ScoringLeadEvent } from '../scoring-leads/scoring-lead.ts';
import {
  activitiesOf,
  lockScoringLead,
  markMerged,
  saveScoringLead,
} from '../scoring-leads/scoring-lead.repository.ts';

/** What an event of the lead stream did to scoring. */
export type ApplyLeadEventResult = 'scored' | 'applied' | 'skipped';

/**
 * Applies one event of a lead's stream to the lead and, when it changed what the score reads, scores
 * the lead and sends the score, all under the lead's row lock. A redelivered event (its version at or
 * below the last applied) changes nothing; a crash before the commit leaves the event to be redelivered
 * and applied again, and the Lead ignores a score it already has.
 */
export async function applyLeadEventAndScore(options: {
  pool: pg.Pool;
  store: Pick<EventStore, 'readStream' | 'appendToStream'>;
  event: ScoringLeadEvent;
  /** The event's version in the lead's stream. */
  version: number;
  metadata: EventMetadata;
  now: Date;
  rescoreIntervalMs: number;
  metrics: ScoringMetrics;
}): Promise<ApplyLeadEventResult> {
  const { pool, event, version, now } = options;
  const { leadId, tenantId } = event.data;
  return withTransaction(pool, async (client) => {
    const stored = await lockScoringLead(client, leadId);
    if (stored !== undefined && stored.tenantId !== tenantId) {
      throw new PermanentError(`lead ${leadId} belongs to tenant ${stored.tenantId}, not ${tenantId}`);
    }
    if (stored !== undefined && version <= stored.lastVersion) return 'skipped';

    const survivorOf = event.type === 'LeadsMerged' && event.data.role === 'survivor' ? event.data : undefined;
    const absorbedActivities =
      survivorOf === undefined ? undefined : await activitiesOf(client, { tenantId, leadId: survivorOf.mergedLeadId });
    const { lead, trigger } = applyLeadEvent({ lead: stored, event, version, absorbedActivities });
    await saveScoringLead(client, lead);
    if (survivorOf !== undefined) {
      // The merged lead's own LeadsMerged may come later on another partition; its scoring ends now.
      await markMerged(client, { tenantId, leadId: survivorOf.mergedLeadId, survivorLeadId: leadId });
    }
    if (trigger === undefined || lead.mergedInto !== undefined) return 'applied';

    const result = await rescoreLead({
      store: options.store,
      lead: { ...lead, ...(stored?.last === undefined ? {} : { last: stored.last }) },
      scoring: await loadTenantScoring(client, tenantId),
      trigger,
      now,
      rescoreIntervalMs: options.rescoreIntervalMs,
      metadata: options.metadata,
      metrics: options.metrics,
    });
    await saveRescore(client, { lead, result, now });
    return 'scored';
  });
}
