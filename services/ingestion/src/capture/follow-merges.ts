import type pg from 'pg';
import { LeadMergedError } from '@l2o/domain';
import type { Logger } from '@l2o/service-kit';
import { repointIdentities } from './lead-identities.ts';

// A chain of merges is short; the bound only stops a corrupt pointer cycle.
const maxMergeHops = 10;

/**
 * Runs `attempt` on `leadId` and, while the lead answers that it was merged, on its survivor. On the
 * way it points the merged lead's keys at the survivor, which a merge interrupted by a crash left
 * undone. Any other error, and a LeadMergedError past the hop bound, is thrown as it is.
 */
export async function followingMerges<T>(options: {
  pool: pg.Pool;
  tenantId: string;
  leadId: string;
  attempt: (leadId: string) => Promise<T>;
  logger?: Logger;
}): Promise<T> {
  const { pool, tenantId, attempt, logger } = options;
  let leadId = options.leadId;
  for (let hop = 0; ; hop += 1) {
    try {
      return await attempt(leadId);
    } catch (error) {
      if (!(error instanceof LeadMergedError) || hop >= maxMergeHops) throw error;
      await repointIdentities({ pool, tenantId, fromLeadId: error.mergedLeadId, toLeadId: error.survivorLeadId });
      logger?.debug({ tenantId, from: error.mergedLeadId, to: error.survivorLeadId }, 'following a merge');
      leadId = error.survivorLeadId;
    }
  }
}
