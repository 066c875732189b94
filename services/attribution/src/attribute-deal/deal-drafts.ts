import type { AttributionDeps } from '../attribution-deps.ts';
import type { LearnedWeights } from '../data-driven/learned-weights.ts';
import type { WonJourney } from '../journeys/journeys.repository.ts';
import type { AttributionConfig, AttributionModel, DataDrivenModel } from '../models/index.ts';
import { journeyTouches, markMilestone } from '../touchpoints/touchpoints.repository.ts';
import { dealAttributions } from './deal-attributions.ts';
import type { AttributionDraft } from './deal-attributions.ts';
import { dealJourney } from './deal-journey.ts';

/** The stored deal's attributions by `models`, or undefined when none of its touches is stored. */
export async function dealDrafts(
  deps: AttributionDeps,
  options: {
    deal: WonJourney;
    config: AttributionConfig;
    models: readonly AttributionModel[];
    learned: ReadonlyMap<DataDrivenModel, LearnedWeights>;
  },
): Promise<AttributionDraft[] | undefined> {
  const { deal } = options;
  const { tenantId, leadId } = deal;
  // The opening or the win may have been applied before the lead's touches; marking is idempotent.
  if (deal.openedAt !== undefined) {
    await markMilestone(deps.pool, { tenantId, leadId, milestone: 'opportunity_created', at: deal.openedAt });
  }
  await markMilestone(deps.pool, { tenantId, leadId, milestone: 'closed_won', at: deal.wonAt });
  const touches = await journeyTouches(deps.pool, { tenantId, leadId });
  if (touches.length === 0) return undefined;
  return dealAttributions({
    deal,
    journey: dealJourney(touches, { wonAt: deal.wonAt }),
    models: options.models,
    config: options.config,
    learned: options.learned,
    calculatedAt: deps.clock(),
  });
}
