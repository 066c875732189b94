import type pg from 'pg';
import { RuleViolation } from '@l2o/domain';
import type { AssignLead } from '@l2o/domain';
import { withTransaction } from '@l2o/pg';
import type { Logger } from '@l2o/service-kit';
import type { Assignment, Pool } from '../assignment/index.ts';
import { sendLeadCommand } from '../lead-commands/send-lead-command.ts';
import type { LeadStore } from '../lead-commands/send-lead-command.ts';
import { readPoolStates, readTenantRouting, savePoolState } from '../routing-config/routing-config.repository.ts';
import { readRepLoads, saveRepLoad } from '../routing-leads/rep-loads.repository.ts';
import type { AssignmentTrigger, Reservation, RoutingLead, Waiting } from '../routing-leads/routing-lead.ts';
import { lockRoutingLead, saveRoutingLead } from '../routing-leads/routing-leads.repository.ts';
import { lockTenantRouting } from '../routing-leads/tenant-lock.ts';
import { chooseOwner } from './choose-owner.ts';

export type AssignOutcome =
  /** The reservation's AssignLead was sent; `appended` is empty when the lead already had it (a redelivery). */
  | { status: 'assigned'; reservation: Reservation; appended: string[] }
  | { status: 'waiting'; waiting: Waiting }
  | { status: 'skipped'; reason: 'closed' | 'owned' | 'not_waiting' }
  /** The Lead refused the command (merged meanwhile); the event that made it refuse reaches routing next. */
  | { status: 'refused'; reason: string };

export type AssignDeps = {
  pool: pg.Pool;
  store: LeadStore;
  logger: Logger;
  /** How long a lead nobody could take waits before it is tried again. */
  waitingRetryMs: number;
};

export const defaultWaitingRetryMs = 60_000;

/**
 * Finds an owner for a lead and sends the AssignLead command.
 *
 * Safe across replicas and redeliveries: one transaction under the tenant's routing lock reads pool
 * states and rep loads, lets `assignLead` choose, and stores the new pool state, the rep's load and a
 * reservation on the lead (owner, open) together; only after the commit is the command sent. The
 * reservation is keyed by the trigger's stream version, so a redelivered trigger (or a crash before
 * the send) finds it and re-sends the very same command instead of choosing again: the pool cursor and
 * the rep's counters move once per trigger. If the decider answers `[]` (the lead got an owner or
 * closed meanwhile), nothing is undone here: the event that made it so is on the lead's stream and,
 * when routing applies it, it sets the real owner, and open counts are recounted from the leads.
 */
export async function assignOwner(
  options: AssignDeps & {
    tenantId: string;
    leadId: string;
    trigger: AssignmentTrigger;
    now: Date;
    /** Retrying a waiting lead: skip it when it no longer waits. */
    onlyIfWaiting?: boolean;
    correlationId?: string | undefined;
    causationId?: string | undefined;
  },
): Promise<AssignOutcome> {
  const { tenantId, leadId, logger } = options;
  const reserved = await withTransaction(options.pool, (client) => reserveOwner(client, options));
  if (reserved.status === 'waiting') {
    const log = { tenantId, leadId, triedPoolIds: reserved.waiting.triedPoolIds, why: reserved.waiting.why };
    // No event type says "waiting", so the log and the routing_leads row are the record.
    if (options.onlyIfWaiting === true) logger.debug(log, 'lead still waits: nobody eligible');
    else logger.warn(log, 'lead waits in its pool: nobody eligible');
    return reserved;
  }
  if (reserved.status !== 'reserved') return reserved;

  const { reservation } = reserved;
  try {
    const appended = await sendLeadCommand({
      store: options.store,
      command: assignCommand({ tenantId, leadId, reservation }),
      correlationId: options.correlationId,
      causationId: options.causationId,
    });
    return { status: 'assigned', reservation, appended };
  } catch (error) {
    if (!(error instanceof RuleViolation)) throw error;
    logger.warn({ tenantId, leadId, reason: error.message }, 'the lead refused its assignment');
    return { status: 'refused', reason: error.message };
  }
}

type Reserved =
  | { status: 'reserved'; reservation: Reservation }
  | { status: 'waiting'; waiting: Waiting }
  | { status: 'skipped'; reason: 'closed' | 'owned' | 'not_waiting' };

async function reserveOwner(
  client: pg.PoolClient,
  options: AssignDeps & {
    tenantId: string;
    leadId: string;
    trigger: AssignmentTrigger;
    now: Date;
    onlyIfWaiting?: boolean;
  },
): Promise<Reserved> {
  const { tenantId, leadId, trigger, now } = options;
  await lockTenantRouting(client, tenantId);
  const lead = await lockRoutingLead(client, { leadId, tenantId });
  if (lead.reservation !== undefined && lead.reservation.triggerVersion >= trigger.version) {
    return { status: 'reserved', reservation: lead.reservation };
  }
  if (lead.closed) return { status: 'skipped', reason: 'closed' };
  if (lead.ownerId !== undefined) return { status: 'skipped', reason: 'owned' };
  if (options.onlyIfWaiting === true && lead.waiting === undefined) return { status: 'skipped', reason: 'not_waiting' };

  const routing = await readTenantRouting(client, tenantId);
  if (routing.settings === undefined) {
    return wait(client, {
      lead,
      trigger,
      now,
      triedPoolIds: [],
      why: 'no_routing_settings',
      retryMs: options.waitingRetryMs,
    });
  }
  const result = chooseOwner({
    lead: lead.attributes,
    settings: routing.settings,
    pools: routing.pools,
    reps: routing.reps,
    poolStates: await readPoolStates(client, tenantId),
    loads: await readRepLoads(client, tenantId),
    now,
    trigger,
  });
  if (result.status === 'unassigned') {
    return wait(client, {
      lead,
      trigger,
      now,
      triedPoolIds: result.triedPoolIds,
      why: result.reason,
      retryMs: options.waitingRetryMs,
    });
  }

  const reservation = reservationOf({ assignment: result, pools: routing.pools, trigger, now });
  await savePoolState(client, { tenantId, poolId: result.poolId, state: result.nextPoolState });
  await saveRepLoad(client, { tenantId, repId: result.repId, load: result.nextRepLoad });
  const { waiting: _waiting, ...rest } = lead;
  await saveRoutingLead(client, { lead: { ...rest, ownerId: result.repId, open: true, reservation } });
  return { status: 'reserved', reservation };
}

async function wait(
  client: pg.PoolClient,
  options: {
    lead: RoutingLead;
    trigger: AssignmentTrigger;
    now: Date;
    triedPoolIds: string[];
    why: string;
    retryMs: number;
  },
): Promise<Reserved> {
  const { lead, trigger, now } = options;
  const waiting: Waiting = {
    trigger,
    since: lead.waiting?.since ?? now.toISOString(),
    triedPoolIds: options.triedPoolIds,
    why: options.why,
  };
  await saveRoutingLead(client, { lead: { ...lead, waiting }, nextTryAt: new Date(now.getTime() + options.retryMs) });
  return { status: 'waiting', waiting };
}

function reservationOf(options: {
  assignment: Assignment;
  pools: readonly Pool[];
  trigger: AssignmentTrigger;
  now: Date;
}): Reservation {
  const { assignment, trigger, now } = options;
  const pool = options.pools.find((candidate) => candidate.id === assignment.poolId);
  if (pool === undefined) throw new Error(`assignLead chose pool ${assignment.poolId}, which is not configured`);
  return {
    triggerVersion: trigger.version,
    decidedAt: now.toISOString(),
    ownerId: assignment.repId,
    poolId: assignment.poolId,
    ...(assignment.ruleId === undefined ? {} : { ruleId: assignment.ruleId }),
    strategy: pool.strategy,
    reason: trigger.reason,
    responseDueAt: assignment.responseDueAt.toISOString(),
  };
}

function assignCommand(options: { tenantId: string; leadId: string; reservation: Reservation }): AssignLead {
  const { tenantId, leadId, reservation } = options;
  return {
    type: 'AssignLead',
    data: {
      leadId,
      tenantId,
      ownerId: reservation.ownerId,
      poolId: reservation.poolId,
      ...(reservation.ruleId === undefined ? {} : { ruleId: reservation.ruleId }),
      strategy: reservation.strategy,
      reason: reservation.reason,
      responseDueAt: reservation.responseDueAt,
    },
    metadata: { now: new Date(reservation.decidedAt) },
  };
}
