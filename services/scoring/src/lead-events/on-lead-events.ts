import { PermanentError } from '@l2o/bus';
import { currentTraceparent } from '@l2o/service-kit';
import type { StreamBatch, StreamEvent } from '@l2o/stream-consumer';
import { scoreLeadNow } from '../score-lead/score-lead-now.ts';
import { scoringMetadata, toScoreRequest } from '../score-lead/score-request.ts';
import type { ScoreRequest } from '../score-lead/score-request.ts';
import { loadTenantScorings } from '../score-lead/tenant-scoring.ts';
import type { TenantScoring } from '../score-lead/tenant-scoring.ts';
import type { ScoringMetrics } from '../scoring-metrics.ts';
import { applyLeadEvents } from '../scoring-leads/scoring-lead.ts';
import { lockScoringLeads, saveScoringLeads } from '../scoring-leads/scoring-lead.repository.ts';
import type { SavedScore } from '../scoring-leads/scoring-lead.repository.ts';

/** The lead events that change what a lead is scored on; scoring's own output (LeadScored…) is not among them. */
export const scoredLeadEventNames = [
  'LeadCaptured',
  'LeadProfileUpdated',
  'LeadActivityRecorded',
  'LeadTouchRecorded',
  'LeadsMerged',
] as const;

type ScoredLeadEvent = Extract<StreamEvent, { type: (typeof scoredLeadEventNames)[number] }>;

export function isScoredLeadEvent(event: StreamEvent): event is ScoredLeadEvent {
  return (scoredLeadEventNames as readonly string[]).includes(event.type);
}

/**
 * Applies a batch of lead events to scoring's leads and sends each lead that needs one its new
 * score, in the consumer kit's transaction: the batch's leads (and the leads merged into them) are
 * loaded row-locked in one query, the events applied in memory in order, each lead scored once on its
 * last state with its tenant's scoring (loaded once per tenant in one query), the changed leads saved
 * with their scores in one statement, and the `ScoreLead`s left to the kit to send after the commit.
 */
export function onLeadEvents(options: {
  clock: () => Date;
  rescoreIntervalMs: number;
  metrics: ScoringMetrics;
}): (batch: StreamBatch<ScoreRequest>) => Promise<void> {
  return async ({ client, events, send }) => {
    const leadEvents = events.filter(isScoredLeadEvent);
    const stored = await lockScoringLeads(
      client,
      leadEvents.flatMap((event) =>
        event.type === 'LeadsMerged' && event.data.role === 'survivor'
          ? [event.aggregateId, event.data.mergedLeadId]
          : [event.aggregateId],
      ),
    );
    const causes = new Map<string, ScoredLeadEvent>();
    for (const event of leadEvents) {
      const lead = stored.get(event.aggregateId);
      if (lead !== undefined && lead.tenantId !== event.tenantId) {
        throw new PermanentError(`lead ${event.aggregateId} belongs to tenant ${lead.tenantId}, not ${event.tenantId}`);
      }
      causes.set(event.aggregateId, event);
    }

    const { changed, triggers } = applyLeadEvents({ leads: stored, events: leadEvents });
    const toScore = [...triggers].flatMap(([leadId, trigger]) => {
      const lead = changed.get(leadId);
      return lead === undefined || lead.mergedInto !== undefined ? [] : [{ lead, trigger }];
    });
    const scorings =
      toScore.length === 0
        ? new Map<string, TenantScoring>()
        : await loadTenantScorings(
            client,
            toScore.map(({ lead }) => lead.tenantId),
          );
    const now = options.clock();
    const scores = new Map<string, SavedScore>();
    for (const { lead, trigger } of toScore) {
      const scoring = scorings.get(lead.tenantId);
      const last = stored.get(lead.leadId)?.last;
      if (scoring === undefined) throw new Error(`unreachable: no scoring loaded for tenant ${lead.tenantId}`);
      const scored = scoreLeadNow({
        lead: { ...lead, ...(last === undefined ? {} : { last }) },
        scoring,
        trigger,
        now,
        rescoreIntervalMs: options.rescoreIntervalMs,
      });
      scores.set(lead.leadId, { last: scored.last, scoredAt: now, nextRescoreAt: scored.nextRescoreAt });
      if (scored.unchanged) {
        options.metrics.leadScored({ trigger, outcome: 'unchanged' });
        continue;
      }
      const cause = causes.get(lead.leadId);
      send(
        toScoreRequest(
          scored.command,
          scoringMetadata({
            tenantId: lead.tenantId,
            correlationId: cause?.correlationId ?? cause?.id,
            causationId: cause?.id,
            // The lead's own trace first: a batch's span is shared by the many leads it carries.
            traceparent: cause?.traceparent ?? currentTraceparent(),
          }),
        ),
      );
    }
    await saveScoringLeads(
      client,
      [...changed.values()].map((lead) => {
        const score = scores.get(lead.leadId);
        return score === undefined ? lead : { ...lead, score };
      }),
    );
  };
}
