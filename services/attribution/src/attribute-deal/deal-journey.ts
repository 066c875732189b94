import { milestones as knownMilestones, sortJourney } from '../models/index.ts';
import type { Milestone, Touchpoint } from '../models/index.ts';
import type { TouchRow } from '../touchpoints/touchpoints.repository.ts';

/**
 * The journey a won deal is attributed over: the touches up to the win (later ones did not lead to it; when
 * every touch is later, as with a skewed clock, all of them), in journey order, the earliest tagged
 * `first_touch`. Stored milestones the models do not know are dropped.
 */
export function dealJourney(touches: readonly TouchRow[], options: { wonAt: string }): Touchpoint[] {
  const wonAt = Date.parse(options.wonAt);
  const beforeWin = touches.filter((touch) => Date.parse(touch.occurredAt) <= wonAt);
  const journey = sortJourney((beforeWin.length > 0 ? beforeWin : touches).map(toTouchpoint));
  const [first, ...rest] = journey;
  if (first === undefined || first.milestones.includes('first_touch')) return journey;
  return [{ ...first, milestones: ['first_touch', ...first.milestones] }, ...rest];
}

function toTouchpoint(touch: TouchRow): Touchpoint {
  return {
    id: touch.touchId,
    occurredAt: touch.occurredAt,
    channel: touch.channel,
    ...(touch.campaign === undefined ? {} : { campaign: touch.campaign }),
    ...(touch.medium === undefined ? {} : { medium: touch.medium }),
    milestones: touch.milestones.filter(isMilestone),
  };
}

function isMilestone(value: string): value is Milestone {
  return (knownMilestones as readonly string[]).includes(value);
}
