import { createPeriodicTask } from '@l2o/service-kit';
import type { Logger, PeriodicTask } from '@l2o/service-kit';
import type { StreamConsumerHandlers } from '@l2o/stream-consumer';
import type { QueuedLeadCommand } from '../lead-commands/queued-lead-command.ts';
import type { FoldedLead } from '../lead-events/fold-lead-events.ts';
import type { RoutingLead } from '../routing-leads/routing-lead.ts';
import { lockDueWaitingLeads, waitingLeadsDue } from '../routing-leads/routing-leads.repository.ts';
import { lockTenantRouting } from '../routing-leads/tenant-lock.ts';
import { assignCommandsOf, logWaiting, readAssignmentState, saveRoutingWrites } from './assign-leads.ts';
import type { AssignmentDecision } from './assign-tenant-leads.ts';
import { decideTenantBatch } from './tenant-batch.ts';

export type RetryWaitingDeps = {
  /** Routing's lead consumer: its outbox keeps the AssignLeads with the decisions and sends them after the commit. */
  handlers: Pick<StreamConsumerHandlers<QueuedLeadCommand>, 'withOutbox'>;
  logger: Logger;
  /** How long a lead still without anyone waits before the next try. */
  waitingRetryMs: number;
};

const defaultLimit = 500;

/**
 * Tries again to assign the waiting leads whose retry is due (a rep came back from leave, a cap freed
 * up, the tenant added reps), up to `limit`, each tenant's under one lock acquisition as the consumer
 * does. The AssignLead commands go into the lead consumer's outbox with the decisions and are sent after
 * the commit, as a consumed batch's are, so the tenants' locks are not held across the send. Returns the
 * decisions.
 */
export async function retryWaitingLeads(
  options: RetryWaitingDeps & { now: Date; limit?: number },
): Promise<AssignmentDecision[]> {
  const { now, logger } = options;
  return options.handlers.withOutbox(async ({ client, send }) => {
    const due = await waitingLeadsDue(client, { now, limit: options.limit ?? defaultLimit });
    if (due.length === 0) return [];
    const tenantIds = [...new Set(due.map((lead) => lead.tenantId))].sort();
    for (const tenantId of tenantIds) await lockTenantRouting(client, tenantId);
    // Under the locks: a lead another replica tried or assigned meanwhile is no longer due.
    const leads = await lockDueWaitingLeads(client, { leadIds: due.map((lead) => lead.leadId), now });
    const decided = [];
    for (const tenantId of tenantIds) {
      const folded = leads.filter((lead) => lead.tenantId === tenantId).flatMap(waitingRequest);
      if (folded.length === 0) continue;
      const state = await readAssignmentState(client, tenantId);
      const batch = decideTenantBatch({ tenantId, folded, state, now, waitingRetryMs: options.waitingRetryMs });
      decided.push({ tenantId, ...batch });
    }
    await saveRoutingWrites(
      client,
      decided.map(({ writes }) => writes),
    );
    for (const { tenantId, decisions } of decided) logWaiting({ logger, tenantId, decisions, level: 'debug' });
    const decisions = decided.flatMap((batch) => batch.decisions);
    for (const command of assignCommandsOf(decisions)) send(command);
    return decisions;
  });
}

// A waiting lead asks again for the owner its trigger asked for.
function waitingRequest(lead: RoutingLead): FoldedLead[] {
  if (lead.waiting === undefined || lead.closed || lead.ownerId !== undefined) return [];
  const request = { lead, trigger: lead.waiting.trigger, cause: { correlationId: `routing-retry:${lead.leadId}` } };
  return [{ before: lead, lead, owners: [], counted: [], givenBack: [], timers: [], request }];
}

/** Retries waiting leads every `intervalMs`, and at once again while a full batch was due. */
export function createWaitingRetryTask(
  options: RetryWaitingDeps & { clock: () => Date; intervalMs: number; limit?: number },
): PeriodicTask {
  const limit = options.limit ?? defaultLimit;
  return createPeriodicTask({
    name: 'waiting lead retries',
    intervalMs: options.intervalMs,
    logger: options.logger,
    fullBatch: limit,
    tick: async () => (await retryWaitingLeads({ ...options, now: options.clock(), limit })).length,
  });
}
