import type { LeadActivityType } from '@l2o/contracts';
import type { ScoringActivity, ScoringInput, ScoringProfile } from './scoring-input.ts';

/** The fixed clock of the scoring tests. */
export const now = new Date('2025-05-01T12:00:00.000Z');

/** An activity of `type` that happened `daysAgo` days before {@link now}. */
export function activity(type: LeadActivityType, daysAgo = 0): ScoringActivity {
  return { type, occurredAt: new Date(now.getTime() - daysAgo * 86_400_000).toISOString() };
}

/** A lead with nothing but the given profile parts, touch and activities. */
export function lead(
  parts: Partial<ScoringProfile> & Pick<Partial<ScoringInput>, 'firstTouch' | 'activities'> = {},
): ScoringInput {
  return {
    profile: { contact: parts.contact ?? {}, company: parts.company ?? {}, customFields: parts.customFields ?? {} },
    ...(parts.firstTouch === undefined ? {} : { firstTouch: parts.firstTouch }),
    activities: parts.activities ?? [],
  };
}
