import { appendAttributionCommands, checkedAttributionCommand } from '../attribute-deal/append-attribution-commands.ts';
import type { AttributionCommand } from '../attribute-deal/append-attribution-commands.ts';
import { dealDrafts } from '../attribute-deal/deal-drafts.ts';
import type { AttributionDeps, EventOrigin } from '../attribution-deps.ts';
import { wonJourneys } from '../journeys/journeys.repository.ts';
import { isDataDriven } from '../models/index.ts';
import type { ChannelWeight, DataDrivenModel } from '../models/index.ts';
import { learnWeights } from './learn-weights.ts';
import { sameWeights } from './learned-weights.ts';
import { loadLearnedWeights, saveLearnedWeights } from './model-weights.repository.ts';
import { setRecomputedAt } from './recompute-schedule.repository.ts';

export type RecomputeResult = {
  tenantId: string;
  /** ISO 8601. */
  computedAt: string;
  /** Journeys learned from: one per person with a touch, converting or not. */
  journeys: number;
  models: Array<{ model: DataDrivenModel; changed: boolean; channels: ChannelWeight[] }>;
  /** AttributionCalculated revisions appended for won deals whose credits changed. */
  revisions: number;
};

/**
 * Learns the tenant's enabled data-driven models again from all journeys and stores the weights. Only when a
 * model's weights changed are its won deals attributed again, and a deal gets a new revision only when that
 * moved money between its touches (see the attribution stream's decider): new weights that leave a deal's
 * cents as they were are not news to subscribers. The caller holds the tenant's recalculation lock.
 */
export async function recomputeLearnedWeights(
  deps: AttributionDeps,
  options: { tenantId: string; origin?: EventOrigin },
): Promise<RecomputeResult> {
  const { pool } = deps;
  const { tenantId } = options;
  const now = deps.clock();
  const config = await deps.settings.get(tenantId);
  const models = config.models.filter(isDataDriven);
  const previous = await loadLearnedWeights(pool, tenantId);
  const learned = await learnWeights({ db: pool, tenantId, config, models, now });
  const changed = learned.filter((next) => !sameWeights(previous.get(next.model)?.weights ?? [], next.weights));
  for (const next of learned) await saveLearnedWeights(pool, { tenantId, learned: next });

  const commands: AttributionCommand[] = [];
  if (changed.length > 0) {
    const weights = new Map(learned.map((next) => [next.model, next]));
    for (const deal of await wonJourneys(pool, tenantId)) {
      const drafts = await dealDrafts(deps, {
        deal,
        config,
        models: changed.map((next) => next.model),
        learned: weights,
      });
      if (drafts === undefined || drafts.length === 0) continue;
      commands.push(
        checkedAttributionCommand({
          type: 'ReviseLearnedCredits',
          drafts,
          opportunityId: deal.opportunityId,
          tenantId,
          ...(options.origin === undefined ? {} : { origin: options.origin }),
        }),
      );
    }
  }
  const revisions = await appendAttributionCommands(deps.store, commands);
  await setRecomputedAt(pool, { tenantId, at: now });
  return {
    tenantId,
    computedAt: now.toISOString(),
    journeys: learned[0]?.journeys ?? 0,
    models: learned.map((next) => ({ model: next.model, changed: changed.includes(next), channels: next.weights })),
    revisions,
  };
}
