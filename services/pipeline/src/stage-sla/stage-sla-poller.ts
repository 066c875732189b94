import type pg from 'pg';
import { streamIdFor } from '@l2o/contracts';
import { opportunityDecider, RuleViolation } from '@l2o/domain';
import type { MarkStalled } from '@l2o/domain';
import { handleCommand } from '@l2o/event-store';
import type { EventStore } from '@l2o/event-store';
import { withTransaction } from '@l2o/pg';
import type { Logger } from '@l2o/service-kit';
import { pipelineMetadata } from '../aggregates/event-metadata.ts';
import { claimDueStageTimer, markStageTimerFired } from './stage-timers.repository.ts';
import type { StageTimer, TimerOutcome } from './stage-timers.repository.ts';

/** Fires due stage SLA timers: each becomes a MarkStalled on its opportunity. */
export type StageSlaPoller = {
  /** Fires the timers due at the clock's time now; resolves with how many fired. */
  tick(): Promise<number>;
  /** Ticks every `intervalMs` until stopped; a tick never overlaps the previous one. */
  start(intervalMs: number): void;
  /** Stops ticking and waits for a running tick to end. */
  stop(): Promise<void>;
};

const defaultMaxPerTick = 1_000;

/**
 * A stage SLA poller. Each due timer is claimed with FOR UPDATE SKIP LOCKED in its own short
 * transaction, so replicas share the work and none fires a timer another holds. A poller that
 * crashes after the command but before the timer is marked leaves it due: the next tick sends the
 * command again, and the decider, which marks a stage entry stalled once, turns it into nothing.
 */
export function createStageSlaPoller(options: {
  pool: pg.Pool;
  store: Pick<EventStore, 'readStream' | 'appendToStream'>;
  clock: () => Date;
  logger?: Logger;
  /** Timers fired per tick at most, so one tick cannot run unbounded; the rest wait for the next. Default 1000. */
  maxPerTick?: number;
}): StageSlaPoller {
  const { pool, store, clock, logger } = options;
  const maxPerTick = options.maxPerTick ?? defaultMaxPerTick;

  async function fire(timer: StageTimer, now: Date): Promise<TimerOutcome> {
    const command: MarkStalled = {
      type: 'MarkStalled',
      data: {
        opportunityId: timer.opportunityId,
        tenantId: timer.tenantId,
        stageId: timer.stageId,
        enteredStageAt: timer.enteredAt,
        slaDays: timer.slaDays,
      },
      metadata: { now },
    };
    try {
      const { events } = await handleCommand({
        store,
        streamId: streamIdFor('opportunity', timer.opportunityId),
        decider: opportunityDecider,
        command,
        metadata: pipelineMetadata({ tenantId: timer.tenantId }),
      });
      return events.length > 0 ? 'stalled' : 'moot';
    } catch (error) {
      // A refusal will not change on a retry; the timer is done and the reason is logged.
      if (!(error instanceof RuleViolation)) throw error;
      logger?.warn({ err: error, timer }, 'stage SLA timer refused');
      return 'refused';
    }
  }

  async function tick(): Promise<number> {
    const now = clock();
    let fired = 0;
    while (fired < maxPerTick) {
      const claimed = await withTransaction(pool, async (client) => {
        const timer = await claimDueStageTimer(client, now);
        if (timer === undefined) return false;
        const outcome = await fire(timer, now);
        await markStageTimerFired(client, { ...timer, at: now, outcome });
        return true;
      });
      if (!claimed) break;
      fired += 1;
    }
    return fired;
  }

  let stopped = false;
  let pending: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<unknown> = Promise.resolve();

  function schedule(intervalMs: number): void {
    if (stopped) return;
    pending = setTimeout(() => {
      running = tick()
        .catch((error: unknown) => logger?.error({ err: error }, 'stage SLA tick failed'))
        .finally(() => schedule(intervalMs));
    }, intervalMs);
  }

  return {
    tick,
    start(intervalMs) {
      stopped = false;
      schedule(intervalMs);
    },
    async stop() {
      stopped = true;
      clearTimeout(pending);
      await running;
    },
  };
}
