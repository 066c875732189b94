import type pg from 'pg';
import type { BusLogger } from '@l2o/bus';
import { streamIdFor } from '@l2o/contracts';
import { opportunityDecider, RuleViolation } from '@l2o/domain';
import type { MarkStalled } from '@l2o/domain';
import { handleCommand } from '@l2o/event-store';
import type { EventStore } from '@l2o/event-store';
import type { CommandDispatcher } from '@l2o/stream-consumer';
import { pipelineMetadata } from '../aggregates/event-metadata.ts';
import { recordStageTimerOutcomes } from './stage-timers.repository.ts';
import type { StageTimer, TimerOutcome } from './stage-timers.repository.ts';

/** A claimed stage timer's MarkStalled, as the outbox keeps it until it is sent (JSON: times as ISO strings). */
export type StageTimerFiring = Omit<StageTimer, 'dueAt'> & {
  /** The poller's time when it claimed the timer: the stall's time. */
  at: string;
};

/**
 * Sends each firing's MarkStalled to its opportunity, then records how each timer ended: `stalled`,
 * `moot` (the decider answered nothing: the entry is over, or it was marked already by a firing sent
 * before), or `refused` (a RuleViolation, logged; a retry would not change it). Any other error leaves
 * the firings in the outbox for the sweep; those sent before it keep their outcomes.
 */
export function fireStageTimers(options: {
  pool: pg.Pool;
  store: Pick<EventStore, 'readStream' | 'appendToStream'>;
  logger?: BusLogger;
}): CommandDispatcher<StageTimerFiring> {
  const { pool, store, logger } = options;

  async function fire(firing: StageTimerFiring): Promise<TimerOutcome> {
    const command: MarkStalled = {
      type: 'MarkStalled',
      data: {
        opportunityId: firing.opportunityId,
        tenantId: firing.tenantId,
        stageId: firing.stageId,
        enteredStageAt: firing.enteredAt,
        slaDays: firing.slaDays,
      },
      metadata: { now: new Date(firing.at) },
    };
    try {
      const { events } = await handleCommand({
        store,
        streamId: streamIdFor('opportunity', firing.opportunityId),
        decider: opportunityDecider,
        command,
        metadata: pipelineMetadata({ tenantId: firing.tenantId }),
      });
      return events.length > 0 ? 'stalled' : 'moot';
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error;
      logger?.warn({ err: error, firing }, 'stage SLA timer refused');
      return 'refused';
    }
  }

  return async (firings) => {
    const outcomes: Array<StageTimerFiring & { outcome: TimerOutcome }> = [];
    try {
      for (const firing of firings) outcomes.push({ ...firing, outcome: await fire(firing) });
    } finally {
      await recordStageTimerOutcomes(pool, outcomes);
    }
  };
}
