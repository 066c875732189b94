import { localTime, withAssignedTodayChange } from '../assignment/index.ts';
import type { PoolState, RepLoad } from '../assignment/index.ts';
import type { FoldedLead } from '../lead-events/fold-lead-events.ts';
import type { TenantRouting } from '../routing-config/routing-config.repository.ts';
import type { Reservation, RoutingLead } from '../routing-leads/routing-lead.ts';
import type { SlaTimer, SlaTimerCancel } from '../sla-timers/sla-timers.repository.ts';
import { assignTenantLeads } from './assign-tenant-leads.ts';
import type { AssignmentDecision } from './assign-tenant-leads.ts';

/** What assigning needs of a tenant, read once per batch under its routing lock. */
export type AssignmentState = {
  routing: TenantRouting;
  poolStates: Readonly<Record<string, PoolState>>;
  /** Open leads as `routing_leads` held them before the batch; assigned-today as stored. */
  loads: Readonly<Record<string, RepLoad>>;
};

/** Everything a batch changes in routing's tables, written set-based by `saveRoutingWrites`. */
export type RoutingWrites = {
  leads: Array<{ lead: RoutingLead; nextTryAt?: Date }>;
  timers: SlaTimer[];
  cancels: SlaTimerCancel[];
  poolStates: Array<{ tenantId: string; poolId: string; state: PoolState }>;
  loads: Array<{ tenantId: string; repId: string; load: RepLoad }>;
};

/**
 * One tenant's part of a batch, decided in memory: the loads move with what the events did (leads
 * released or taken, manual assignments counted, refused reservations given back), then the leads that
 * asked for an owner are assigned on those loads (see `assignTenantLeads`). `state` is required as soon
 * as an event needs the tenant's lock; without it only rows and timers change. Pure.
 */
export function decideTenantBatch(input: {
  tenantId: string;
  folded: readonly FoldedLead[];
  state?: AssignmentState;
  now: Date;
  /** How long a lead nobody could take waits before it is tried again. */
  waitingRetryMs: number;
}): { decisions: AssignmentDecision[]; writes: RoutingWrites } {
  const { tenantId, folded, state, now } = input;
  const timers = folded.flatMap((lead) => lead.timers);
  const cancels = folded.flatMap(({ cancel }) => (cancel === undefined ? [] : [cancel]));
  if (state === undefined) {
    if (folded.some((lead) => lead.request !== undefined || lead.owners.length > 0)) {
      throw new Error(`tenant ${tenantId}: a batch that moves owners needs the tenant's routing state`);
    }
    return {
      decisions: [],
      writes: { leads: folded.map(({ lead }) => ({ lead })), timers, cancels, poolStates: [], loads: [] },
    };
  }

  const loads: Record<string, RepLoad> = { ...state.loads };
  const touched = new Set<string>();
  const timezones = new Map(state.routing.reps.map((rep) => [rep.id, rep.timezone]));
  const move = (repId: string, change: (load: RepLoad) => RepLoad) => {
    loads[repId] = change(loads[repId] ?? { openLeads: 0, assignedToday: 0, day: '' });
    touched.add(repId);
  };
  for (const lead of folded) {
    for (const [row, delta] of [
      [lead.before, -1],
      [lead.lead, 1],
    ] as const) {
      const { ownerId } = row;
      if (row.open && ownerId !== undefined)
        move(ownerId, (load) => ({ ...load, openLeads: Math.max(0, load.openLeads + delta) }));
    }
    for (const { repId, day } of lead.givenBack)
      move(repId, (load) => withAssignedTodayChange(load, { day, delta: -1 }));
    for (const { repId, assignedAt } of lead.counted) {
      const day = localTime(new Date(assignedAt), timezones.get(repId) ?? 'UTC').day;
      move(repId, (load) => withAssignedTodayChange(load, { day, delta: 1 }));
    }
    for (const repId of lead.owners) touched.add(repId);
  }

  const requests = folded.flatMap(({ request }) => (request === undefined ? [] : [request]));
  const assigned = assignTenantLeads({ routing: state.routing, poolStates: state.poolStates, loads, requests, now });
  for (const [repId, load] of Object.entries(assigned.loads)) move(repId, () => load);
  const decided = new Map(assigned.decisions.map((decision) => [decision.lead.leadId, decision]));
  const nextTryAt = new Date(now.getTime() + input.waitingRetryMs);

  return {
    decisions: assigned.decisions,
    writes: {
      leads: folded.map(({ lead }) => {
        const decision = decided.get(lead.leadId);
        if (decision === undefined) return { lead };
        return decision.status === 'reserved' ? { lead: decision.lead } : { lead: decision.lead, nextTryAt };
      }),
      timers: [
        ...timers,
        ...assigned.decisions.flatMap((decision) =>
          decision.status === 'reserved' ? [timerOf({ lead: decision.lead, reservation: decision.reservation })] : [],
        ),
      ],
      // A lead released and assigned again in one batch keeps its new timer: cancels are written after it.
      cancels: cancels.map((cancel) => {
        const decision = decided.get(cancel.leadId);
        return decision?.status === 'reserved' && cancel.keepAssignedAt === undefined
          ? { ...cancel, keepAssignedAt: decision.reservation.decidedAt }
          : cancel;
      }),
      poolStates: Object.entries(assigned.poolStates).map(([poolId, poolState]) => ({
        tenantId,
        poolId,
        state: poolState,
      })),
      loads: [...touched].map((repId) => ({
        tenantId,
        repId,
        load: loads[repId] ?? { openLeads: 0, assignedToday: 0, day: '' },
      })),
    },
  };
}

function timerOf(options: { lead: RoutingLead; reservation: Reservation }): SlaTimer {
  const { lead, reservation } = options;
  return {
    leadId: lead.leadId,
    tenantId: lead.tenantId,
    ownerId: reservation.ownerId,
    poolId: reservation.poolId,
    assignedAt: reservation.decidedAt,
    dueAt: new Date(reservation.responseDueAt),
  };
}
