import type pg from 'pg';
import { streamIdFor } from '@l2o/contracts';
import { opportunityDecider, RuleViolation } from '@l2o/domain';
import type { MarkStalled } from '@l2o/domain';
import { handleCommand } from '@l2o/event-store';
import type { EventStore } from '@l2o/event-store';
import { withTransaction } from '@l2o/pg';
import { createPeriodicTask } from '@l2o/service-kit';
import type { Logger, PeriodicTask } from '@l2o/service-kit';
import { pipelineMetadata } from '../aggregates/event-metadata.ts';
import { claimDueStageTimer, markStageTimerFired } from './stage-timers.repository.ts';
import type { StageTimer, TimerOutcome } from './stage-timers.repository.ts';

const defaultMaxPerTick = 1_000;

/**
 * The stage SLA poller: each tick fires the timers due at the clock's time, each as a MarkStalled on its
 * opportunity, and resolves with how many fired. Each due timer is claimed with FOR UPDATE SKIP LOCKED
 * in its own short transaction, so replicas share the work and none fires a timer another holds. A
 * poller that crashes after the command but before the timer is marked leaves it due: the next tick
 * sends the command again, and the decider, which marks a stage entry stalled once, turns it into nothing.
 */
export function createStageSlaPoller(options: {
  pool: pg.Pool;
  store: Pick<EventStore, 'readStream' | 'appendToStream'>;
  clock: () => Date;
  logger: Logger;
  /** Time between ticks that found less than a full tick's work. */
  intervalMs: number;
  /** Timers fired per tick at most, so one tick cannot run unbounded; a full tick is followed by another at once. Default 1000. */
  maxPerTick?: number;
}): PeriodicTask {
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
      logger.warn({ err: error, timer }, 'stage SLA timer refused');
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

  return createPeriodicTask({
    name: 'stage SLA poller',
    intervalMs: options.intervalMs,
    tick,
    logger,
    fullBatch: maxPerTick,
  });
}
