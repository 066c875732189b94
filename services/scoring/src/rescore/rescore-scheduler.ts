import type pg from 'pg';
import type { EventStore } from '@l2o/event-store';
import { withTransaction } from '@l2o/pg';
import type { Logger } from '@l2o/service-kit';
import { learnPendingOutcomes } from '../outcomes/learn-outcomes.ts';
import { rescoreLead, saveRescore, scoringMetadata } from '../score-lead/rescore-lead.ts';
import { loadTenantScoring } from '../score-lead/tenant-scoring.ts';
import type { TenantScoring } from '../score-lead/tenant-scoring.ts';
import type { ScoringMetrics } from '../scoring-metrics.ts';
import { lockScoringLead } from '../scoring-leads/scoring-lead.repository.ts';
import { claimDueLeads } from './due-leads.repository.ts';
import type { ClaimedLead } from './due-leads.repository.ts';

/** Rescores the leads that are due: decaying engagement, a changed rule set, or an unfinished claim. */
export type RescoreScheduler = {
  /**
   * Claims and rescores due leads batch by batch until none is due or `signal` aborts; returns the
   * leads it rescored.
   */
  tick(options?: { signal?: AbortSignal }): Promise<{ rescored: string[] }>;
};

export type RescoreSchedulerOptions = {
  pool: pg.Pool;
  store: Pick<EventStore, 'readStream' | 'appendToStream'>;
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
  const { pool, store, clock, batchSize, metrics } = options;
  const leaseMs = options.leaseMs ?? defaultLeaseMs;

  /** Rescores one claimed lead under its row lock; false when it no longer needed this claimer. */
  async function rescoreClaimed(claimed: ClaimedLead, scoring: TenantScoring): Promise<boolean> {
    return withTransaction(pool, async (client) => {
      const lead = await lockScoringLead(client, claimed.leadId);
      // A new event scored it, a rule change queued it again, or it was merged: the claim is moot.
      if (lead === undefined || lead.mergedInto !== undefined || lead.scheduleSeq !== claimed.scheduleSeq) return false;
      const now = clock();
      const result = await rescoreLead({
        store,
        lead,
        scoring,
        trigger: lead.rescoreTrigger,
        now,
        rescoreIntervalMs: options.rescoreIntervalMs,
        metadata: scoringMetadata({ tenantId: lead.tenantId }),
        metrics,
      });
      await saveRescore(client, { lead, result, now, scheduleSeq: lead.scheduleSeq });
      return true;
    });
  }

  async function runBatch(): Promise<{ claimed: number; rescored: string[] }> {
    const now = clock();
    const claimed = await claimDueLeads(pool, { now, limit: batchSize, leaseUntil: new Date(now.getTime() + leaseMs) });
    const oldest = claimed[0];
    if (oldest === undefined) return { claimed: 0, rescored: [] };
    metrics.rescoreBatch({
      size: claimed.length,
      lagSeconds: Math.max(0, now.getTime() - oldest.dueAt.getTime()) / 1000,
    });
    // One rule set and model per tenant and batch: a batch is scored as of one moment.
    const scorings = new Map<string, Promise<TenantScoring>>();
    const rescored: string[] = [];
    for (const lead of claimed) {
      let scoring = scorings.get(lead.tenantId);
      if (scoring === undefined) {
        scoring = loadTenantScoring(pool, lead.tenantId);
        scorings.set(lead.tenantId, scoring);
      }
      try {
        if (await rescoreClaimed(lead, await scoring)) rescored.push(lead.leadId);
      } catch (error) {
        // The claim's lease runs out and the lead is tried again; the others of the batch go on.
        options.logger?.warn({ err: error, leadId: lead.leadId }, 'rescoring a lead failed');
      }
    }
    return { claimed: claimed.length, rescored };
  }

  return {
    async tick(tickOptions = {}) {
      await learnPendingOutcomes({ pool, now: clock() }).catch((error: unknown) =>
        options.logger?.warn({ err: error }, 'learning pending outcomes failed'),
      );
      const rescored: string[] = [];
      for (;;) {
        const batch = await runBatch();
        rescored.push(...batch.rescored);
        if (batch.claimed < batchSize || tickOptions.signal?.aborted === true) return { rescored };
      }
    },
  };
}

/** Runs `scheduler.tick()` every `tickMs` until stopped; `stop()` waits for a tick in progress. */
export function startRescoreLoop(options: { scheduler: RescoreScheduler; tickMs: number; logger?: Logger }): {
  stop(): Promise<void>;
} {
  const stopping = new AbortController();
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(() => {
      running = options.scheduler
        .tick({ signal: stopping.signal })
        .then(
          () => undefined,
          (error: unknown) => options.logger?.error({ err: error }, 'rescore tick failed'),
        )
        .finally(() => {
          if (!stopping.signal.aborted) schedule();
        });
    }, options.tickMs);
  };
  schedule();
  return {
    async stop() {
      stopping.abort();
      clearTimeout(timer);
      await running;
    },
  };
}
