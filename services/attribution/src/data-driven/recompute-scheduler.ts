import { randomUUID } from 'node:crypto';
import type { AttributionDeps } from '../attribution-deps.ts';
import { dueTenants, lastRecomputedAt } from './recompute-schedule.repository.ts';
import { recomputeLearnedWeights } from './recompute-weights.ts';
import { withTenantRecomputeLock } from './tenant-recompute-lock.ts';

export type RecomputeScheduler = {
  /** Recalculates every tenant that is due and not being recalculated elsewhere; returns how many it did. */
  runOnce(): Promise<number>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
};

const defaultCheckEveryMs = 60_000;

/**
 * Recalculates each tenant's learned weights every `intervalMinutes`. Every replica checks once a minute
 * which tenants are due; a tenant is claimed with its advisory lock and checked again under it, so only one
 * replica recalculates it per interval, and a replica that stops mid-way leaves it due for the next check.
 */
export function startRecomputeScheduler(
  deps: AttributionDeps & { intervalMinutes: number; checkEveryMs?: number },
): RecomputeScheduler {
  const intervalMs = deps.intervalMinutes * 60_000;
  let running: Promise<number> | undefined;

  async function runOnce(): Promise<number> {
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
        deps.logger?.info(
          { tenantId, journeys: result.journeys, revisions: result.revisions },
          'learned attribution weights recalculated',
        );
      }
    }
    return done;
  }

  const tick = () => {
    if (running !== undefined) return;
    running = runOnce()
      .catch((error: unknown) => {
        deps.logger?.warn({ err: error }, 'recalculating learned attribution weights failed');
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, deps.checkEveryMs ?? defaultCheckEveryMs);
  timer.unref();

  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
