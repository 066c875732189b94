import type { Assignment, Pool, PoolState, RepLoad } from '../assignment/index.ts';
import type { AssignmentRequest } from '../lead-events/fold-lead-events.ts';
import type { TenantRouting } from '../routing-config/routing-config.repository.ts';
import type { AssignmentTrigger, Reservation, RoutingLead, Waiting } from '../routing-leads/routing-lead.ts';
import { chooseOwner } from './choose-owner.ts';

/** What routing decided for one lead: an owner reserved (its row now owned and open), or a wait. */
export type AssignmentDecision =
  | { status: 'reserved'; request: AssignmentRequest; lead: RoutingLead; reservation: Reservation }
  | { status: 'waiting'; request: AssignmentRequest; lead: RoutingLead; waiting: Waiting };

export type TenantAssignments = {
  /** One per request, in request order. */
  decisions: AssignmentDecision[];
  /** The states of the pools that assigned, to store. */
  poolStates: Record<string, PoolState>;
  /** The loads of the reps that got leads, to store. */
  loads: Record<string, RepLoad>;
};

/**
 * Assigns a tenant's leads one after the other in memory, as one assignment per lock acquisition would:
 * each choice sees the pool states and rep loads the ones before it left, so round robin turns, weights,
 * caps and daily quotas hold across the whole batch. The caller reads the states and loads under the
 * tenant's routing lock and stores what this returns before releasing it. Pure.
 */
export function assignTenantLeads(input: {
  routing: TenantRouting;
  poolStates: Readonly<Record<string, PoolState>>;
  loads: Readonly<Record<string, RepLoad>>;
  requests: readonly AssignmentRequest[];
  now: Date;
}): TenantAssignments {
  const { routing, now } = input;
  const poolStates: Record<string, PoolState> = { ...input.poolStates };
  const loads: Record<string, RepLoad> = { ...input.loads };
  const changedPools = new Set<string>();
  const changedReps = new Set<string>();

  const decisions = input.requests.map((request): AssignmentDecision => {
    const { lead, trigger } = request;
    if (routing.settings === undefined)
      return waitingFor({ request, now, triedPoolIds: [], why: 'no_routing_settings' });
    const result = chooseOwner({
      lead: lead.attributes,
      settings: routing.settings,
      pools: routing.pools,
      reps: routing.reps,
      poolStates,
      loads,
      now,
      trigger,
    });
    if (result.status === 'unassigned') {
      return waitingFor({ request, now, triedPoolIds: result.triedPoolIds, why: result.reason });
    }
    poolStates[result.poolId] = result.nextPoolState;
    loads[result.repId] = result.nextRepLoad;
    changedPools.add(result.poolId);
    changedReps.add(result.repId);
    const reservation = reservationOf({ assignment: result, pools: routing.pools, trigger, now });
    const { waiting: _waiting, ...rest } = lead;
    return {
      status: 'reserved',
      request,
      lead: { ...rest, ownerId: result.repId, open: true, reservation },
      reservation,
    };
  });

  return {
    decisions,
    poolStates: pick(poolStates, changedPools),
    loads: pick(loads, changedReps),
  };
}

function waitingFor(options: {
  request: AssignmentRequest;
  now: Date;
  triedPoolIds: string[];
  why: string;
}): AssignmentDecision {
  const { request, now } = options;
  const waiting: Waiting = {
    trigger: request.trigger,
    since: request.lead.waiting?.since ?? now.toISOString(),
    triedPoolIds: options.triedPoolIds,
    why: options.why,
  };
  return { status: 'waiting', request, lead: { ...request.lead, waiting }, waiting };
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
    day: assignment.nextRepLoad.day,
  };
}

function pick<Value>(record: Record<string, Value>, keys: ReadonlySet<string>): Record<string, Value> {
  return Object.fromEntries([...keys].map((key) => [key, record[key] as Value]));
}
