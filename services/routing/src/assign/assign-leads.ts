import type pg from 'pg';
import type { Logger } from '@l2o/service-kit';
import type { QueuedLeadCommand } from '../lead-commands/queued-lead-command.ts';
import { readTenantRoutingWithStates, savePoolStates } from '../routing-config/routing-config.repository.ts';
import { readRepLoads, saveRepLoads } from '../routing-leads/rep-loads.repository.ts';
import { saveRoutingLeads } from '../routing-leads/routing-leads.repository.ts';
import { cancelSlaTimers, insertSlaTimers } from '../sla-timers/sla-timers.repository.ts';
import type { AssignmentDecision } from './assign-tenant-leads.ts';
import type { AssignmentState, RoutingWrites } from './tenant-batch.ts';

export const defaultWaitingRetryMs = 60_000;

/**
 * What assigning a tenant's leads needs, in two queries: its routing with the pools' fairness states,
 * and its reps' loads. Call it holding the tenant's routing lock, which must be held until the decisions
 * taken on it are saved.
 */
export async function readAssignmentState(client: pg.PoolClient, tenantId: string): Promise<AssignmentState> {
  const { routing, poolStates } = await readTenantRoutingWithStates(client, tenantId);
  return { routing, poolStates, loads: await readRepLoads(client, tenantId) };
}

/** Writes what batches decided, a statement per table whatever the number of leads and tenants. */
export async function saveRoutingWrites(client: pg.PoolClient, batches: readonly RoutingWrites[]): Promise<void> {
  await saveRoutingLeads(
    client,
    batches.flatMap((writes) => writes.leads),
  );
  // Set first, cancelled after: a lead's last cancel covers the timers its earlier events set.
  await insertSlaTimers(
    client,
    batches.flatMap((writes) => writes.timers),
  );
  await cancelSlaTimers(
    client,
    batches.flatMap((writes) => writes.cancels),
  );
  await savePoolStates(
    client,
    batches.flatMap((writes) => writes.poolStates),
  );
  // After the leads: open counts are recounted from them.
  await saveRepLoads(
    client,
    batches.flatMap((writes) => writes.loads),
  );
}

/** The AssignLead commands of the reservations among `decisions`, each traced to the event that asked for it. */
export function assignCommandsOf(decisions: readonly AssignmentDecision[]): QueuedLeadCommand[] {
  return decisions.flatMap((decision): QueuedLeadCommand[] => {
    if (decision.status !== 'reserved') return [];
    const { request, reservation } = decision;
    return [
      {
        type: 'AssignLead',
        data: {
          leadId: request.lead.leadId,
          tenantId: request.lead.tenantId,
          ownerId: reservation.ownerId,
          poolId: reservation.poolId,
          ...(reservation.ruleId === undefined ? {} : { ruleId: reservation.ruleId }),
          strategy: reservation.strategy,
          reason: reservation.reason,
          responseDueAt: reservation.responseDueAt,
        },
        now: reservation.decidedAt,
        ...request.cause,
      },
    ];
  });
}

/** No event type says "waiting", so the log and the routing_leads rows are the record. */
export function logWaiting(options: {
  logger: Logger;
  tenantId: string;
  decisions: readonly AssignmentDecision[];
  /** `debug` for retries, which log the same leads every time. */
  level: 'warn' | 'debug';
}): void {
  const waiting = options.decisions.flatMap((decision) => (decision.status === 'waiting' ? [decision] : []));
  if (waiting.length === 0) return;
  options.logger[options.level](
    {
      tenantId: options.tenantId,
      waiting: waiting.length,
      leads: waiting.slice(0, 10).map(({ lead, waiting: why }) => ({ leadId: lead.leadId, ...why })),
    },
    'leads wait in their pools: nobody eligible',
  );
}
