import { waitingLeadsDue } from '../routing-leads/routing-leads.repository.ts';
import { assignOwner } from './assign-owner.ts';
import type { AssignDeps, AssignOutcome } from './assign-owner.ts';

/**
 * Tries again to assign the waiting leads whose retry is due (a rep came back from leave, a cap
 * freed up, the tenant added reps). A lead still without anyone waits another `waitingRetryMs`.
 */
export async function retryWaitingLeads(options: AssignDeps & { now: Date; limit?: number }): Promise<AssignOutcome[]> {
  const due = await waitingLeadsDue(options.pool, { now: options.now, limit: options.limit ?? 100 });
  const outcomes: AssignOutcome[] = [];
  for (const { leadId, tenantId, waiting } of due) {
    outcomes.push(
      await assignOwner({
        ...options,
        tenantId,
        leadId,
        trigger: waiting.trigger,
        onlyIfWaiting: true,
        correlationId: `routing-retry:${leadId}`,
      }),
    );
  }
  return outcomes;
}
