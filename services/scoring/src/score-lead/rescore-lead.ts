import type { LeadScoringTrigger } from '@l2o/contracts';
import { streamIdFor } from '@l2o/contracts';
import { LeadMergedError, leadDecider } from '@l2o/domain';
import { eventMetadata, handleCommand } from '@l2o/event-store';
import type { EventMetadata, EventMetadataOptions, EventStore } from '@l2o/event-store';
import { scoreLead } from '../model/index.ts';
import type { LeadScore } from '../model/index.ts';
import type { ScoringMetrics } from '../scoring-metrics.ts';
import { markMerged, recordScore } from '../scoring-leads/scoring-lead.repository.ts';
import type { LastScore, Queryable, ScoringLeadRecord } from '../scoring-leads/scoring-lead.repository.ts';
import { isUnchanged, lastScoreOf, nextRescoreAt, toScoreCommand } from './score-command.ts';
import type { TenantScoring } from './tenant-scoring.ts';

/** What scoring a lead did: recorded a new score, found nothing new, or found the lead merged away. */
export type RescoreResult =
  | { status: 'recorded' | 'unchanged'; score: LeadScore; last: LastScore; nextRescoreAt: Date | null }
  | { status: 'merged'; survivorLeadId: string };

/**
 * Scores a lead at `now` and sends the score to the Lead as `ScoreLead`, which records it (and
 * qualifies the lead at the threshold) only when something changed. A score equal to the last one
 * sent is not sent at all, so hourly decay rescores cost no event-store read while nothing moves.
 */
export async function rescoreLead(options: {
  store: Pick<EventStore, 'readStream' | 'appendToStream'>;
  lead: Pick<ScoringLeadRecord, 'leadId' | 'tenantId' | 'input' | 'last'>;
  scoring: TenantScoring;
  trigger: LeadScoringTrigger;
  now: Date;
  rescoreIntervalMs: number;
  metadata: EventMetadata;
  metrics: ScoringMetrics;
}): Promise<RescoreResult> {
  const { store, lead, scoring, trigger, now } = options;
  const score = scoreLead({ input: lead.input, ruleSet: scoring.ruleSet.ruleSet, model: scoring.model, now });
  const command = toScoreCommand({
    leadId: lead.leadId,
    tenantId: lead.tenantId,
    score,
    ruleSet: scoring.ruleSet,
    trigger,
    now,
  });
  const last = lastScoreOf(command);
  const next = nextRescoreAt({ score, now, intervalMs: options.rescoreIntervalMs });
  if (isUnchanged(lead.last, last)) {
    options.metrics.leadScored({ trigger, outcome: 'unchanged' });
    return { status: 'unchanged', score, last, nextRescoreAt: next };
  }
  try {
    const result = await handleCommand({
      store,
      streamId: streamIdFor('lead', lead.leadId),
      decider: leadDecider,
      command,
      metadata: options.metadata,
    });
    const status = result.events.length > 0 ? 'recorded' : 'unchanged';
    options.metrics.leadScored({ trigger, outcome: status });
    return { status, score, last, nextRescoreAt: next };
  } catch (error) {
    // The merge reaches scoring on its own stream later or already did; the survivor is scored instead.
    if (error instanceof LeadMergedError) return { status: 'merged', survivorLeadId: error.survivorLeadId };
    throw error;
  }
}

/**
 * Stores what a rescore did: the score sent and the next rescore, or the end of scoring for a merged
 * lead. With `scheduleSeq` the schedule moves only if nobody changed it since (see `recordScore`).
 */
export async function saveRescore(
  db: Queryable,
  options: {
    lead: Pick<ScoringLeadRecord, 'leadId' | 'tenantId'>;
    result: RescoreResult;
    now: Date;
    scheduleSeq?: number;
  },
): Promise<void> {
  const { lead, result, now } = options;
  if (result.status === 'merged') {
    await markMerged(db, { tenantId: lead.tenantId, leadId: lead.leadId, survivorLeadId: result.survivorLeadId });
    return;
  }
  await recordScore(db, {
    leadId: lead.leadId,
    last: result.last,
    scoredAt: now,
    nextRescoreAt: result.nextRescoreAt,
    ...(options.scheduleSeq === undefined ? {} : { scheduleSeq: options.scheduleSeq }),
  });
}

/** The metadata of the events a scoring appends, caused by `causationId` when an event caused it. */
export function scoringMetadata(origin: Omit<EventMetadataOptions, 'producer'>): EventMetadata {
  return eventMetadata({ ...origin, producer: 'scoring' });
}
