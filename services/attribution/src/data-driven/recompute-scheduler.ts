import { randomUUID } from 'node:crypto';
import { createPeriodicTask } from '@l2o/service-kit';
import type { Logger, PeriodicTask } from '@l2o/service-kit';
import type { AttributionDeps } from '../attribution-deps.ts';
import { dueTenants, lastRecomputedAt } from './recompute-schedule.repository.ts';
import { recomputeLearnedWeights } from './recompute-weights.ts';
import { withTenantRecomputeLock } from './tenant-recompute-lock.ts';

const defaultCheckEveryMs = 60_000;

/**
 * Recalculates each tenant's learned weights every `intervalMinutes`. Every replica checks once a minute
 * (at start, then every `checkEveryMs`) which tenants are due; a tenant is claimed with its advisory lock
 * and checked again under it, so only one replica recalculates it per interval, and a replica that stops
 * mid-way leaves it due for the next check. A tick recalculates every tenant that is due and not being
 * recalculated elsewhere, and resolves with how many it did.
 */
export function createRecomputeScheduler(
  deps: AttributionDeps & { intervalMinutes: number; checkEveryMs?: number; logger: Logger },
): PeriodicTask {
  const intervalMs = deps.intervalMinutes * 60_000;

  async function tick(): Promise<number> {
    const dueBefore = () => new Date(deps.clock().getTime() - intervalMs);
    let done = 0;
    for (const tenantId of await dueTenants(deps.pool, dueBefore())) {
      const result = await withTenantRecomputeLock(deps.pool, { tenantId, wait: false }, async () => {
        const last = await lastRecomputedAt(deps.pool, tenantId);
        if (last !== undefined && last > dueBefore()) return undefined;
        return recomputeLearnedWeights(deps, { tenantId, origin: { correlationId: randomUUID() } });
      });
      if (result !== undefined) {
        done += 1;
        deps.logger.info(
          { tenantId, journeys: result.journeys, revisions: result.revisions },
          'learned attribution weights recalculated',
        );
      }
    }
    return done;
  }

  return createPeriodicTask({
    name: 'learned attribution weights recalculation',
    intervalMs: deps.checkEveryMs ?? defaultCheckEveryMs,
    tick,
    logger: deps.logger,
  });
}
