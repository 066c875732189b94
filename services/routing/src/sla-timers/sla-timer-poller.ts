import type pg from 'pg';
import { RuleViolation } from '@l2o/domain';
import type { BreachResponseSla } from '@l2o/domain';
import { withTransaction } from '@l2o/pg';
import type { Logger } from '@l2o/service-kit';
import { sendLeadCommand } from '../lead-commands/send-lead-command.ts';
import type { LeadStore } from '../lead-commands/send-lead-command.ts';
import { readTenantRouting } from '../routing-config/routing-config.repository.ts';
import { claimDueSlaTimer, markSlaTimerFired } from './sla-timers.repository.ts';
import type { SlaTimer } from './sla-timers.repository.ts';

/** Fires due first-response timers: `tick()` once, or every interval between `start()` and `stop()`. */
export type SlaTimerPoller = {
  /** Fires every timer due now (up to the per-tick bound); resolves with how many it fired. */
  tick(): Promise<number>;
  start(): void;
  /** Stops the interval and waits for a running tick. */
  stop(): Promise<void>;
};

const defaultMaxPerTick = 500;

/**
 * A durable timer poller: each due timer is claimed with FOR UPDATE SKIP LOCKED, its
 * BreachResponseSla sent, and only then marked fired, in the claim's transaction. Replicas claim
 * different timers; a crash between the send and the commit leaves the timer due, so it fires again,
 * and the Lead decider, which names the assignment, answers the second command with nothing.
 */
export function createSlaTimerPoller(options: {
  pool: pg.Pool;
  store: LeadStore;
  clock: () => Date;
  logger: Logger;
  intervalMs: number;
  maxPerTick?: number;
}): SlaTimerPoller {
  const { pool, logger } = options;
  const maxPerTick = options.maxPerTick ?? defaultMaxPerTick;
  let interval: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  const fireNext = (now: Date): Promise<boolean> =>
    withTransaction(pool, async (client) => {
      const timer = await claimDueSlaTimer(client, now);
      if (timer === undefined) return false;
      await fire({ client, timer, now });
      await markSlaTimerFired(client, { leadId: timer.leadId, assignedAt: timer.assignedAt, now });
      return true;
    });

  async function fire(context: { client: pg.PoolClient; timer: SlaTimer; now: Date }): Promise<void> {
    const { timer } = context;
    const log = { tenantId: timer.tenantId, leadId: timer.leadId, ownerId: timer.ownerId };
    const command = await breachCommand(context);
    if (command === undefined) {
      logger.warn(log, 'first-response timer due, but the tenant has no routing settings to recycle by');
      return;
    }
    try {
      const appended = await sendLeadCommand({
        store: options.store,
        command,
        correlationId: `sla-timer:${timer.leadId}:${timer.assignedAt}`,
      });
      if (appended.length > 0) logger.info({ ...log, events: appended }, 'first-response SLA breached');
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error;
      logger.warn({ ...log, reason: error.message }, 'the lead refused the SLA breach');
    }
  }

  async function tick(): Promise<number> {
    const now = options.clock();
    let fired = 0;
    while (fired < maxPerTick && (await fireNext(now))) fired += 1;
    return fired;
  }

  return {
    tick,
    start() {
      if (interval !== undefined) return;
      interval = setInterval(() => {
        if (running !== undefined) return;
        running = tick()
          .catch((error: unknown) => logger.error({ err: error }, 'firing first-response timers failed'))
          .finally(() => (running = undefined));
      }, options.intervalMs);
    },
    async stop() {
      clearInterval(interval);
      interval = undefined;
      await running;
    },
  };
}

async function breachCommand(context: {
  client: pg.PoolClient;
  timer: SlaTimer;
  now: Date;
}): Promise<BreachResponseSla | undefined> {
  const { client, timer, now } = context;
  const routing = await readTenantRouting(client, timer.tenantId);
  if (routing.settings === undefined) return undefined;
  // The breaching rep's own manager first, else the manager of the pool the lead came from.
  const managerId =
    routing.reps.find((rep) => rep.id === timer.ownerId)?.managerId ??
    routing.pools.find((pool) => pool.id === timer.poolId)?.managerId;
  return {
    type: 'BreachResponseSla',
    data: {
      leadId: timer.leadId,
      tenantId: timer.tenantId,
      ownerId: timer.ownerId,
      assignedAt: timer.assignedAt,
      sharedPoolId: routing.settings.sharedPoolId,
      escalateAfterBreaches: routing.settings.escalateAfterBreaches,
      ...(managerId === undefined ? {} : { managerId }),
    },
    metadata: { now },
  };
}
