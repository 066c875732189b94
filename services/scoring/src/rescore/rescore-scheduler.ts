import type pg from 'pg';
import type { EventStore } from '@l2o/event-store';
import { withTransaction } from '@l2o/pg';
import { createPeriodicTask } from '@l2o/service-kit';
import type { Logger, PeriodicTask } from '@l2o/service-kit';
import { scoreLeadNow } from '../score-lead/score-lead-now.ts';
import { scoringMetadata, toScoreRequest } from '../score-lead/score-request.ts';
import type { ScoreRequest } from '../score-lead/score-request.ts';
import { sendScores } from '../score-lead/send-scores.ts';
import { loadTenantScorings } from '../score-lead/tenant-scoring.ts';
import type { ScoringMetrics } from '../scoring-metrics.ts';
import { lockScoringLeads, markMerged, recordScores } from '../scoring-leads/scoring-lead.repository.ts';
import type { RecordedScore, ScoringLeadRecord } from '../scoring-leads/scoring-lead.repository.ts';
import { claimDueLeads } from './due-leads.repository.ts';

/** Rescores the leads that are due: decaying engagement, a changed rule set, or an unfinished claim. */
export type RescoreScheduler = {
  /** Claims up to a batch of due leads and rescores them; returns how many it claimed and the leads it rescored. */
  rescoreBatch(): Promise<{ claimed: number; rescored: string[] }>;
};

export type RescoreSchedulerOptions = {
  pool: pg.Pool;
  store: Pick<EventStore, 'readStreams' | 'appendToStreams'>;
  clock: () => Date;
  rescoreIntervalMs: number;
  batchSize: number;
  /** How long a claim keeps other replicas off a lead; a replica that dies frees its claims after it. Default 5 minutes. */
  leaseMs?: number;
  metrics: ScoringMetrics;
  logger?: Logger;
};

const defaultLeaseMs = 5 * 60_000;

export function createRescoreScheduler(options: RescoreSchedulerOptions): RescoreScheduler {
  const { pool, store, clock, batchSize, metrics, logger } = options;
  const leaseMs = options.leaseMs ?? defaultLeaseMs;

  /**
   * Rescores the claimed leads set-based under their row locks, so a lead event scoring one of them
   * meanwhile waits and scores after: scores loaded once per tenant, sent in one append, recorded in
   * one statement. A lead whose score cannot be sent now keeps its claim, whose lease runs out.
   */
  async function rescoreClaimed(claimed: ReadonlyArray<{ leadId: string; scheduleSeq: number }>): Promise<string[]> {
    return withTransaction(pool, async (client) => {
      const locked = await lockScoringLeads(
        client,
        claimed.map((lead) => lead.leadId),
      );
      // A new event scored it, a rule change queued it again, or it was merged: the claim is moot.
      const due = claimed.flatMap((claim): ScoringLeadRecord[] => {
        const lead = locked.get(claim.leadId);
        return lead === undefined || lead.mergedInto !== undefined || lead.scheduleSeq !== claim.scheduleSeq
          ? []
          : [lead];
      });
      if (due.length === 0) return [];
      // One rule set and model per tenant and batch: a batch is scored as of one moment.
      const scorings = await loadTenantScorings(
        client,
        due.map((lead) => lead.tenantId),
      );
      const now = clock();
      const scored = due.flatMap((lead) => {
        const scoring = scorings.get(lead.tenantId);
        if (scoring === undefined) return [];
        const trigger = lead.rescoreTrigger;
        return [
          {
            lead,
            trigger,
            ...scoreLeadNow({ lead, scoring, trigger, now, rescoreIntervalMs: options.rescoreIntervalMs }),
          },
        ];
      });
      const requests = new Map<string, ScoreRequest>();
      for (const entry of scored) {
        if (entry.unchanged) metrics.leadScored({ trigger: entry.trigger, outcome: 'unchanged' });
        else
          requests.set(
            entry.lead.leadId,
            toScoreRequest(entry.command, scoringMetadata({ tenantId: entry.lead.tenantId })),
          );
      }

      const sent = await sendScores({ store, requests: [...requests.values()] });
      for (const request of sent.recorded) metrics.leadScored({ trigger: request.data.trigger, outcome: 'recorded' });
      for (const request of sent.unchanged) metrics.leadScored({ trigger: request.data.trigger, outcome: 'unchanged' });
      for (const { request, reason } of sent.refused) {
        metrics.leadScored({ trigger: request.data.trigger, outcome: 'refused' });
        logger?.warn({ leadId: request.data.leadId, reason }, 'a lead refused its rescore');
      }
      const unsent = new Set(
        [...sent.refused.map(({ request }) => request), ...sent.conflicted].map((r) => r.data.leadId),
      );
      const merged = sent.merged.map(({ request, survivorLeadId }) => ({ ...request.data, survivorLeadId }));
      for (const { leadId } of merged) unsent.add(leadId);

      await markMerged(client, merged);
      const recorded = scored.flatMap(({ lead, last, nextRescoreAt }): RecordedScore[] =>
        unsent.has(lead.leadId)
          ? []
          : [{ leadId: lead.leadId, last, scoredAt: now, nextRescoreAt, scheduleSeq: lead.scheduleSeq }],
      );
      await recordScores(client, recorded);
      return [...recorded.map((score) => score.leadId), ...merged.map((merge) => merge.leadId)];
    });
  }

  return {
    async rescoreBatch() {
      const now = clock();
      const claimed = await claimDueLeads(pool, {
        now,
        limit: batchSize,
        leaseUntil: new Date(now.getTime() + leaseMs),
      });
      const oldest = claimed[0];
      if (oldest === undefined) return { claimed: 0, rescored: [] };
      metrics.rescoreBatch({
        size: claimed.length,
        lagSeconds: Math.max(0, now.getTime() - oldest.dueAt.getTime()) / 1000,
      });
      return { claimed: claimed.length, rescored: await rescoreClaimed(claimed) };
    },
  };
}

/**
 * Rescoring on the service's periodic task: a batch at every interval, and a full batch followed by
 * the next at once, so the backlog of a rule change drains at full speed.
 */
export function createRescoreTask(
  options: RescoreSchedulerOptions & { intervalMs: number; logger: Logger },
): PeriodicTask {
  const scheduler = createRescoreScheduler(options);
  return createPeriodicTask({
    name: 'rescore',
    intervalMs: options.intervalMs,
    logger: options.logger,
    fullBatch: options.batchSize,
    tick: async () => (await scheduler.rescoreBatch()).claimed,
  });
}
