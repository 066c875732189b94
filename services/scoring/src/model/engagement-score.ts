import { leadActivityTypes } from '@l2o/contracts';
import type { LeadActivityType } from '@l2o/contracts';
import { clamp } from './round-half-up.ts';
import type { EngagementConfig } from './rule-set.schema.ts';
import type { ScoringActivity } from './scoring-input.ts';

/** What all activities of one type gave, after decay and cap. */
export type EngagementContribution = { activityType: LeadActivityType; count: number; points: number; label: string };

/** The engagement score: per-type points summed and kept within 0..100. */
export type EngagementScore = { points: number; contributions: EngagementContribution[] };

const dayMs = 86_400_000;

/** The share of its points an activity keeps after `ageDays`: a half after one half-life. */
export function decayFactor(options: { ageDays: number; halfLifeDays: number }): number {
  return 0.5 ** (Math.max(0, options.ageDays) / options.halfLifeDays);
}

function labelOf(options: { activityType: LeadActivityType; count: number; capped: boolean; cap: number }): string {
  const name = options.activityType.replaceAll('_', ' ');
  const label = `${name.charAt(0).toUpperCase()}${name.slice(1)} × ${options.count}`;
  return options.capped ? `${label} (capped at ${options.cap})` : label;
}

/**
 * How engaged a lead is at `now`: each activity's points halve every half-life, the sum per type
 * is capped, and activities dated after `now` count as happening now. The score only falls as
 * `now` advances, so a scheduled rescore calls this again with a later `now`.
 */
export function scoreEngagement(options: {
  activities: readonly ScoringActivity[];
  config: EngagementConfig;
  now: Date;
}): EngagementScore {
  const { activities, config, now } = options;
  const byType = new Map<LeadActivityType, { count: number; decayed: number }>();
  for (const activity of activities) {
    const points = config.activities[activity.type]?.points;
    const occurredAt = Date.parse(activity.occurredAt);
    // A timestamp that cannot be read gives nothing rather than blocking every later rescore.
    if (points === undefined || Number.isNaN(occurredAt)) continue;
    const ageDays = (now.getTime() - occurredAt) / dayMs;
    const sum = byType.get(activity.type) ?? { count: 0, decayed: 0 };
    byType.set(activity.type, {
      count: sum.count + 1,
      decayed: sum.decayed + points * decayFactor({ ageDays, halfLifeDays: config.halfLifeDays }),
    });
  }
  const contributions = [...byType].map(([activityType, { count, decayed }]) => {
    const cap = config.activities[activityType]?.cap ?? 0;
    const points = Math.min(decayed, cap);
    return { activityType, count, points, label: labelOf({ activityType, count, capped: decayed > cap, cap }) };
  });
  contributions.sort(
    (a, b) =>
      b.points - a.points || leadActivityTypes.indexOf(a.activityType) - leadActivityTypes.indexOf(b.activityType),
  );
  const sum = contributions.reduce((total, contribution) => total + contribution.points, 0);
  return { points: clamp(sum, 0, 100), contributions };
}
