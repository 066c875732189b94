import { assignmentTriggerOf, evolveRoutingLead, reservationOutcome } from '../routing-leads/routing-lead.ts';
import type {
  AssignmentTrigger,
  RoutingLead,
  RoutingLeadEvent,
  RoutingLeadEventType,
} from '../routing-leads/routing-lead.ts';
import type { SlaTimer, SlaTimerCancel } from '../sla-timers/sla-timers.repository.ts';

/** What traces a command to the event that caused it. */
export type CommandCause = { causationId?: string; correlationId?: string; traceparent?: string };

/** A followed event of one lead's stream, in version order. */
export type LeadStreamEvent = { event: RoutingLeadEvent; version: number; recordedAt: Date; cause: CommandCause };

/** A lead that needs an owner, and why. */
export type AssignmentRequest = { lead: RoutingLead; trigger: AssignmentTrigger; cause: CommandCause };

/** One lead's events applied in memory: its new row and what else they change. */
export type FoldedLead = {
  /** The row as it was locked. */
  before: RoutingLead;
  /** The row after the events. */
  lead: RoutingLead;
  /** Reps whose open count the events may have moved. */
  owners: string[];
  /** LeadAssigned events routing did not reserve (manual ones, or a command that landed late): each counts once. */
  counted: Array<{ repId: string; assignedAt: string }>;
  /** Reservations the Lead refused: the count they took goes back to their rep, on the day it was taken. */
  givenBack: Array<{ repId: string; day: string }>;
  timers: SlaTimer[];
  /** The last cancel among the events: it holds for every timer set before it. */
  cancel?: SlaTimerCancel;
  /** Set when, after all its events, the lead is open to routing, unowned, and one of them asked for an owner. */
  request?: AssignmentRequest;
};

// Events that change who owns a lead (so open counts) or ask for an owner: they wait for, and then hold
// off, a running assignment of the tenant.
const tenantLockingEvents: ReadonlySet<RoutingLeadEventType> = new Set([
  'LeadQualified',
  'LeadAssigned',
  'LeadRejected',
  'LeadRecycled',
  'LeadConverted',
  'LeadDisqualified',
  'LeadsMerged',
]);

/** Whether applying `type` needs the tenant's routing lock. */
export function needsTenantLock(type: RoutingLeadEventType): boolean {
  return tenantLockingEvents.has(type);
}

/**
 * Applies one lead's events of a batch to its routing row, in memory. Only the lead's last trigger
 * counts, and only if the lead still needs an owner after every event of the batch: a lead qualified and
 * assigned by hand in one batch asks for nothing. Pure.
 */
export function foldLeadEvents(before: RoutingLead, events: readonly LeadStreamEvent[]): FoldedLead {
  const owners = new Set<string>();
  const folded: FoldedLead = { before, lead: before, owners: [], counted: [], givenBack: [], timers: [] };
  let trigger: { trigger: AssignmentTrigger; cause: CommandCause } | undefined;

  for (const { event, version, recordedAt, cause } of events) {
    const previous = folded.lead;
    const settled = reservationOutcome(previous, event);
    if (settled === 'refused' && previous.reservation?.day !== undefined) {
      folded.givenBack.push({ repId: previous.reservation.ownerId, day: previous.reservation.day });
    }
    const lead = evolveRoutingLead(previous, event);
    folded.lead = lead;
    if (previous.ownerId !== lead.ownerId || previous.open !== lead.open) {
      for (const ownerId of [previous.ownerId, lead.ownerId]) if (ownerId !== undefined) owners.add(ownerId);
    }
    const cancelAll = { leadId: lead.leadId, at: recordedAt };
    switch (event.type) {
      case 'LeadAssigned': {
        const { ownerId, poolId, assignedAt, responseDueAt, previousOwnerId } = event.data;
        if (settled !== 'confirmed') folded.counted.push({ repId: ownerId, assignedAt });
        if (previousOwnerId !== undefined) owners.add(previousOwnerId);
        // A reservation's timer was set with it; setting it again would only lock the row a poller may want.
        if (responseDueAt !== undefined && settled !== 'confirmed') {
          folded.timers.push({
            leadId: lead.leadId,
            tenantId: lead.tenantId,
            ownerId,
            poolId,
            assignedAt,
            dueAt: new Date(responseDueAt),
          });
        }
        // The decider ignores a timer of an earlier assignment anyway; cancelling spares it the command.
        folded.cancel = { ...cancelAll, keepAssignedAt: assignedAt };
        break;
      }
      case 'LeadAccepted':
      case 'LeadContacted':
        folded.cancel = cancelAll;
        break;
      case 'LeadRejected':
      case 'LeadRecycled':
      case 'LeadConverted':
      case 'LeadDisqualified':
      case 'LeadsMerged':
        if (!lead.open) folded.cancel = cancelAll;
        break;
      default:
        break;
    }
    const asked = assignmentTriggerOf({ lead, event, version });
    if (asked !== undefined) trigger = { trigger: asked, cause };
  }

  folded.owners = [...owners];
  const { lead } = folded;
  if (trigger !== undefined && !lead.closed && lead.ownerId === undefined) folded.request = { lead, ...trigger };
  return folded;
}
