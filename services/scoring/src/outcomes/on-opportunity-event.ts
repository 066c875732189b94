import type pg from 'pg';
import { parseConsumedEvent, PermanentError } from '@l2o/bus';
import type { EventHandler } from '@l2o/bus';
import type { Outcome } from '../model/index.ts';
import { forgetOutcome, recordOutcome } from './learn-outcomes.ts';
import { rememberOpportunity } from './outcomes.repository.ts';

/** The opportunity events the predictive model learns from. */
export const outcomeEventNames = [
  'OpportunityOpened',
  'OpportunityWon',
  'OpportunityLost',
  'OpportunityReopened',
] as const;

/**
 * Feeds closed opportunities to the tenant's predictive model: an opening says which lead an
 * opportunity came from, won and lost teach the model once each, a reopening unteaches.
 */
export function onOpportunityEvent(options: { pool: pg.Pool; clock: () => Date }): EventHandler {
  const { pool, clock } = options;
  const record = async (data: { tenantId: string; opportunityId: string }, outcome: Outcome, closedAt: string) => {
    const result = await recordOutcome({ pool, ...data, outcome, closedAt, now: clock() });
    if (result === 'unknown_opportunity') {
      throw new PermanentError(`opportunity ${data.opportunityId} was ${outcome} but its opening was never seen`);
    }
  };
  return async ({ event }) => {
    const parsed = parseConsumedEvent(event, outcomeEventNames);
    switch (parsed.type) {
      case 'OpportunityOpened': {
        const { opportunityId, tenantId, leadId } = parsed.data;
        return rememberOpportunity(pool, { opportunityId, tenantId, leadId });
      }
      case 'OpportunityWon':
        return record(parsed.data, 'won', parsed.data.wonAt);
      case 'OpportunityLost':
        return record(parsed.data, 'lost', parsed.data.lostAt);
      case 'OpportunityReopened': {
        const { tenantId, opportunityId } = parsed.data;
        await forgetOutcome({ pool, tenantId, opportunityId, now: clock() });
        return;
      }
    }
  };
}
