import { createPeriodicTask } from '@l2o/service-kit';
import type { Logger, PeriodicTask } from '@l2o/service-kit';
import type { StreamConsumerHandlers } from '@l2o/stream-consumer';
import type { StageTimerFiring } from './fire-stage-timers.ts';
import { claimDueStageTimers } from './stage-timers.repository.ts';

const defaultMaxPerTick = 1_000;

/**
 * The stage SLA poller: each tick claims the timers due at the clock's time, marks them fired and keeps a
 * MarkStalled for each in the view's outbox, in one short transaction, then sends them after the commit
 * (see `fireStageTimers`); it resolves with how many it claimed. FOR UPDATE SKIP LOCKED lets replicas
 * share the work, none firing a timer another holds, and no command is sent while the claim's locks are
 * held. A poller that stops after the commit leaves the commands in the outbox, and its sweep sends them;
 * the decider, which marks a stage entry stalled once, turns a command sent twice into nothing.
 */
export function createStageSlaPoller(options: {
  /** The opportunity view's handlers, whose outbox and dispatch carry the MarkStalled commands. */
  outbox: Pick<StreamConsumerHandlers<StageTimerFiring>, 'withOutbox'>;
  clock: () => Date;
  logger: Logger;
  /** Time between ticks that found less than a full tick's work. */
  intervalMs: number;
  /** Timers fired per tick at most, so one tick cannot run unbounded; a full tick is followed by another at once. Default 1000. */
  maxPerTick?: number;
}): PeriodicTask {
  const { outbox, clock } = options;
  const maxPerTick = options.maxPerTick ?? defaultMaxPerTick;

  async function tick(): Promise<number> {
    const now = clock();
    return outbox.withOutbox(async ({ client, send }) => {
      const timers = await claimDueStageTimers(client, { now, limit: maxPerTick });
      for (const { dueAt: _dueAt, ...timer } of timers) send({ ...timer, at: now.toISOString() });
      return timers.length;
    });
  }

  return createPeriodicTask({
    name: 'stage SLA poller',
    intervalMs: options.intervalMs,
    tick,
    logger: options.logger,
    fullBatch: maxPerTick,
  });
}
