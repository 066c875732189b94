import { createPeriodicTask } from '@l2o/service-kit';
import type { Logger, PeriodicTask } from '@l2o/service-kit';
import type { StreamConsumerHandlers } from '@l2o/stream-consumer';
import type { QueuedLeadCommand } from '../lead-commands/queued-lead-command.ts';
import { readTenantRouting } from '../routing-config/routing-config.repository.ts';
import type { TenantRouting } from '../routing-config/routing-config.repository.ts';
import { claimDueSlaTimers, markSlaTimersFired } from './sla-timers.repository.ts';
import type { SlaTimer } from './sla-timers.repository.ts';

export type SlaTimerDeps = {
  /** Routing's lead consumer: its outbox keeps the breaches with the claim and sends them after the commit. */
  handlers: Pick<StreamConsumerHandlers<QueuedLeadCommand>, 'withOutbox'>;
  logger: Logger;
};

const defaultMaxPerTick = 500;

/**
 * Fires up to `limit` due first-response timers: claims them with FOR UPDATE SKIP LOCKED, marks them
 * fired and keeps their BreachResponseSla commands in the lead consumer's outbox, in one transaction,
 * then sends the commands after the commit, as a consumed batch's are. Replicas claim different timers;
 * a send cut short by a crash or a failure is sent again by the outbox sweep, and the Lead decider,
 * which names the assignment, answers a second breach of it with nothing. Returns how many timers it claimed.
 */
export async function fireDueSlaTimers(options: SlaTimerDeps & { now: Date; limit?: number }): Promise<number> {
  const { now, logger } = options;
  const fired = await options.handlers.withOutbox(async ({ client, send }) => {
    const timers = await claimDueSlaTimers(client, { now, limit: options.limit ?? defaultMaxPerTick });
    if (timers.length === 0) return 0;
    const routing = new Map<string, TenantRouting>();
    for (const tenantId of new Set(timers.map((timer) => timer.tenantId))) {
      routing.set(tenantId, await readTenantRouting(client, tenantId));
    }
    for (const timer of timers) {
      const command = breachCommand({ timer, routing: routing.get(timer.tenantId), now });
      if (command !== undefined) send(command);
      else {
        const { tenantId, leadId, ownerId } = timer;
        logger.warn(
          { tenantId, leadId, ownerId },
          'first-response timer due, but the tenant has no routing settings to recycle by',
        );
      }
    }
    await markSlaTimersFired(client, { timers, now });
    return timers.length;
  });
  if (fired > 0) logger.info({ timers: fired }, 'first-response timers fired');
  return fired;
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
