import type { LeadTouchpoint } from '@l2o/contracts';
import type { ScoringActivity, ScoringProfile, WhatIfLead } from '../model/index.ts';
import type { Queryable } from '../scoring-leads/scoring-lead.repository.ts';
import { replayMoment } from './replay-moment.ts';

type SampleRow = {
  profile: ScoringProfile;
  first_touch: LeadTouchpoint | null;
  activities: ScoringActivity[];
  captured_at: Date;
  outcome: 'won' | 'lost' | null;
};

/**
 * The tenant's `size` most recently captured leads (merged ones left out), each with how it ended:
 * won or lost from its closed opportunity, else open. Deterministic: capture time, then lead id.
 */
export async function whatIfSample(db: Queryable, options: { tenantId: string; size: number }): Promise<WhatIfLead[]> {
  const result = await db.query<SampleRow>(
    `SELECT l.profile, l.first_touch, l.activities, l.captured_at, o.outcome
     FROM scoring_leads l
     LEFT JOIN LATERAL (
       SELECT outcome FROM scoring_outcomes o
       WHERE o.tenant_id = l.tenant_id AND o.lead_id = l.lead_id
       ORDER BY o.recorded_at DESC LIMIT 1
     ) o ON true
     WHERE l.tenant_id = $1 AND l.merged_into IS NULL AND l.captured_at IS NOT NULL
     ORDER BY l.captured_at DESC, l.lead_id
     LIMIT $2`,
    [options.tenantId, options.size],
  );
  return result.rows.map((row) => ({
    input: {
      profile: row.profile,
      ...(row.first_touch === null ? {} : { firstTouch: row.first_touch }),
      activities: row.activities,
    },
    outcome: row.outcome ?? 'open',
    scoredAt: replayMoment({ capturedAt: row.captured_at, activities: row.activities }),
  }));
}
