import { attributionCalculatedV1Schema, streamIdFor } from '@l2o/contracts';
import { eventMetadata, handleCommand } from '@l2o/event-store';
import type { AttributionDeps, EventOrigin } from '../attribution-deps.ts';
import { currentLearnedWeights } from '../data-driven/learn-weights.ts';
import type { LearnedWeights } from '../data-driven/learned-weights.ts';
import { asWonJourney, findJourney } from '../journeys/journeys.repository.ts';
import type { WonJourney } from '../journeys/journeys.repository.ts';
import type { AttributionConfig, AttributionModel, DataDrivenModel } from '../models/index.ts';
import { journeyTouches, markMilestone } from '../touchpoints/touchpoints.repository.ts';
import { attributionEventId, attributionStreamDecider } from './attribution-stream.decider.ts';
import type { AttributionStreamCommand } from './attribution-stream.decider.ts';
import { dealAttributions } from './deal-attributions.ts';
import type { AttributionDraft } from './deal-attributions.ts';
import { dealJourney } from './deal-journey.ts';

export type AttributeOutcome =
  /** The deal is not won, or the lead's conversion has not arrived yet (it attributes the deal when it does). */
  | { status: 'not_ready' }
  /** Won, but attribution never saw a touch of the lead. */
  | { status: 'no_touches' }
  /** `appended` is 0 when this win was attributed already. */
  | { status: 'attributed'; appended: number };

/**
 * Attributes a won deal by every model the tenant enabled: one `AttributionCalculated` each on the stream
 * `attribution-<opportunityId>`. It needs both the win and the lead's conversion (which follows the lead's
 * touches on its stream); the win and the conversion arrive on two topics in either order, and whichever is
 * handled second attributes. Calling it again for the same win appends nothing.
 */
export async function attributeWonDeal(
  deps: AttributionDeps,
  options: { opportunityId: string; origin?: EventOrigin },
): Promise<AttributeOutcome> {
  const deal = asWonJourney(await findJourney(deps.pool, options.opportunityId));
  if (deal === undefined) return { status: 'not_ready' };
  const config = await deps.settings.get(deal.tenantId);
  const learned = await currentLearnedWeights({
    db: deps.pool,
    tenantId: deal.tenantId,
    config,
    now: deps.clock(),
  });
  const drafts = await dealDrafts(deps, { deal, config, models: config.models, learned });
  if (drafts === undefined) {
    deps.logger?.warn({ opportunityId: deal.opportunityId, leadId: deal.leadId }, 'won deal without touches');
    return { status: 'no_touches' };
  }
  const appended = await appendAttributions(deps, {
    deal,
    command: { type: 'AttributeWin', drafts },
    ...(options.origin === undefined ? {} : { origin: options.origin }),
  });
  return { status: 'attributed', appended };
}

/** The deal's attributions by `models`, or undefined when none of its touches is stored. */
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

/** Runs a command on the deal's attribution stream; returns how many events it appended. */
export async function appendAttributions(
  deps: AttributionDeps,
  options: { deal: WonJourney; command: AttributionStreamCommand; origin?: EventOrigin },
): Promise<number> {
  const { deal, origin } = options;
  if (options.command.drafts.length === 0) return 0;
  // A draft that breaks the public contract is a bug here; it must fail before subscribers see it.
  for (const draft of options.command.drafts) attributionCalculatedV1Schema.parse({ ...draft, revision: 1 });
  const result = await handleCommand({
    store: deps.store,
    streamId: streamIdFor('attribution', deal.opportunityId),
    decider: attributionStreamDecider,
    command: options.command,
    metadata: eventMetadata({ ...origin, tenantId: deal.tenantId, producer: 'attribution' }),
    eventId: (event) => attributionEventId(event.data),
  });
  return result.events.length;
}
