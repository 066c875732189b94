import type pg from 'pg';
import { withTransaction } from '@l2o/pg';
import { createPeriodicTask } from '@l2o/service-kit';
import type { Logger, PeriodicTask } from '@l2o/service-kit';
import { dispatchLeadCommands } from '../lead-commands/dispatch-lead-commands.ts';
import type { LeadCommandStore } from '../lead-commands/dispatch-lead-commands.ts';
import type { QueuedLeadCommand } from '../lead-commands/queued-lead-command.ts';
import { readTenantRouting } from '../routing-config/routing-config.repository.ts';
import type { TenantRouting } from '../routing-config/routing-config.repository.ts';
import { claimDueSlaTimers, markSlaTimersFired } from './sla-timers.repository.ts';
import type { SlaTimer } from './sla-timers.repository.ts';

export type SlaTimerDeps = { pool: pg.Pool; store: LeadCommandStore; logger: Logger };

const defaultMaxPerTick = 500;

/**
 * Fires up to `limit` due first-response timers: claims them with FOR UPDATE SKIP LOCKED, sends their
 * BreachResponseSla commands in one dispatch, and only then marks them fired, in the claim's
 * transaction. Replicas claim different timers; a crash between the send and the commit leaves them
 * due, so they fire again, and the Lead decider, which names the assignment, answers the second
 * command with nothing. Returns how many timers it claimed.
 */
export async function fireDueSlaTimers(options: SlaTimerDeps & { now: Date; limit?: number }): Promise<number> {
  const { now, logger } = options;
  return withTransaction(options.pool, async (client) => {
    const timers = await claimDueSlaTimers(client, { now, limit: options.limit ?? defaultMaxPerTick });
    if (timers.length === 0) return 0;
    const routing = new Map<string, TenantRouting>();
    for (const tenantId of new Set(timers.map((timer) => timer.tenantId))) {
      routing.set(tenantId, await readTenantRouting(client, tenantId));
    }
    const commands = timers.flatMap((timer) => {
      const command = breachCommand({ timer, routing: routing.get(timer.tenantId), now });
      if (command === undefined) {
        const { tenantId, leadId, ownerId } = timer;
        logger.warn(
          { tenantId, leadId, ownerId },
          'first-response timer due, but the tenant has no routing settings to recycle by',
        );
      }
      return command === undefined ? [] : [command];
    });
    const outcome = await dispatchLeadCommands({ store: options.store, commands, logger });
    if (outcome.appended > 0)
      logger.info({ timers: timers.length, events: outcome.appended }, 'first-response SLAs breached');
    await markSlaTimersFired(client, { timers, now });
    return timers.length;
  });
}

/** Fires due first-response timers every `intervalMs`, and at once again after a full batch. */
export function createSlaTimerTask(
  options: SlaTimerDeps & { clock: () => Date; intervalMs: number; maxPerTick?: number },
): PeriodicTask {
  const limit = options.maxPerTick ?? defaultMaxPerTick;
  return createPeriodicTask({
    name: 'first-response timers',
    intervalMs: options.intervalMs,
    logger: options.logger,
    fullBatch: limit,
    tick: () => fireDueSlaTimers({ ...options, now: options.clock(), limit }),
  });
}

function breachCommand(options: {
  timer: SlaTimer;
  routing: TenantRouting | undefined;
  now: Date;
}): QueuedLeadCommand | undefined {
  const { timer, routing, now } = options;
  if (routing?.settings === undefined) return undefined;
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
    now: now.toISOString(),
    correlationId: `sla-timer:${timer.leadId}:${timer.assignedAt}`,
  };
}
