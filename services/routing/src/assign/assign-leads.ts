import type pg from 'pg';
import type { Logger } from '@l2o/service-kit';
import type { QueuedLeadCommand } from '../lead-commands/queued-lead-command.ts';
import type { AssignmentRequest } from '../lead-events/fold-lead-events.ts';
import { readPoolStates, readTenantRouting, savePoolStates } from '../routing-config/routing-config.repository.ts';
import { readRepLoads, saveRepLoads } from '../routing-leads/rep-loads.repository.ts';
import type { Reservation } from '../routing-leads/routing-lead.ts';
import { saveRoutingLeads } from '../routing-leads/routing-leads.repository.ts';
import { insertSlaTimers } from '../sla-timers/sla-timers.repository.ts';
import { assignTenantLeads } from './assign-tenant-leads.ts';
import type { AssignmentDecision } from './assign-tenant-leads.ts';

export const defaultWaitingRetryMs = 60_000;

/**
 * Assigns a tenant's leads in the caller's transaction, which must hold the tenant's routing lock
 * (`lockTenantRouting`) and the leads' rows: reads the routing, pool states and rep loads once, decides
 * every lead in memory, then stores the leads (reservations and waits), pool states, rep loads and the
 * reserved assignments' SLA timers set-based. Returns the decisions and the AssignLead commands to send
 * once the transaction commits: the reservation is the decision, committed with the state it moved.
 */
export async function assignLeadsOfTenant(
  client: pg.PoolClient,
  options: {
    tenantId: string;
    requests: readonly AssignmentRequest[];
    now: Date;
    /** How long a lead nobody could take waits before it is tried again. */
    waitingRetryMs: number;
    logger: Logger;
    /** How leads still waiting are logged: `debug` for retries, which log the same leads every time. */
    waitingLogLevel?: 'warn' | 'debug';
  },
): Promise<{ decisions: AssignmentDecision[]; commands: QueuedLeadCommand[] }> {
  const { tenantId, requests, now, logger } = options;
  if (requests.length === 0) return { decisions: [], commands: [] };
  // One after the other: a transaction's client runs one query at a time.
  const routing = await readTenantRouting(client, tenantId);
  const poolStates = await readPoolStates(client, tenantId);
  const loads = await readRepLoads(client, tenantId);
  const assigned = assignTenantLeads({ routing, poolStates, loads, requests, now });

  const nextTryAt = new Date(now.getTime() + options.waitingRetryMs);
  await saveRoutingLeads(
    client,
    assigned.decisions.map((decision) =>
      decision.status === 'reserved' ? { lead: decision.lead } : { lead: decision.lead, nextTryAt },
    ),
  );
  await savePoolStates(client, { tenantId, states: assigned.poolStates });
  await saveRepLoads(client, { tenantId, loads: assigned.loads });
  const reserved = assigned.decisions.flatMap((decision) => (decision.status === 'reserved' ? [decision] : []));
  await insertSlaTimers(
    client,
    reserved.map(({ lead, reservation }) => ({
      leadId: lead.leadId,
      tenantId,
      ownerId: reservation.ownerId,
      poolId: reservation.poolId,
      assignedAt: reservation.decidedAt,
      dueAt: new Date(reservation.responseDueAt),
    })),
  );

  const waiting = assigned.decisions.filter((decision) => decision.status === 'waiting');
  if (waiting.length > 0) {
    // No event type says "waiting", so the log and the routing_leads rows are the record.
    logger[options.waitingLogLevel ?? 'warn'](
      {
        tenantId,
        waiting: waiting.length,
        leads: waiting.slice(0, 10).map(({ lead, waiting: why }) => ({ leadId: lead.leadId, ...why })),
      },
      'leads wait in their pools: nobody eligible',
    );
  }
  return {
    decisions: assigned.decisions,
    commands: reserved.map(({ request, reservation }) => assignCommandOf({ request, reservation })),
  };
}

function assignCommandOf(options: { request: AssignmentRequest; reservation: Reservation }): QueuedLeadCommand {
  const { request, reservation } = options;
  const { cause } = request;
  return {
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
    ...cause,
  };
}
