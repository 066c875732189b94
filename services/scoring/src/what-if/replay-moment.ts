import type { ScoringActivity } from '../model/index.ts';

/**
 * The moment a past lead is replayed at: its last activity, or its capture when that came later. By
 * then every activity had happened and the newest had not decayed; replaying at today would find
 * old leads' engagement decayed to nothing.
 */
export function replayMoment(options: { capturedAt: Date; activities: readonly ScoringActivity[] }): Date {
  const latest = options.activities.reduce((max, activity) => {
    const time = Date.parse(activity.occurredAt);
    return Number.isFinite(time) && time > max ? time : max;
  }, options.capturedAt.getTime());
  return new Date(latest);
}
