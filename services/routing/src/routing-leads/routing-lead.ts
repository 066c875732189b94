import type {
  LeadAcceptedV1,
  LeadAssignedV1,
  LeadContactedV1,
  LeadConvertedV1,
  LeadDisqualifiedV1,
  LeadQualifiedV1,
  LeadRecycledV1,
  LeadRejectedV1,
  LeadsMergedV1,
  RoutingStrategy,
} from '@l2o/contracts';
import type { RoutableLead } from '../assignment/index.ts';
import { routableLeadAfter } from './routable-lead.ts';
import type { AttributeEvent } from './routable-lead.ts';

/** The lead events routing follows, with their parsed data. */
export type RoutingLeadEvent =
  | AttributeEvent
  | { type: 'LeadQualified'; data: LeadQualifiedV1 }
  | { type: 'LeadAssigned'; data: LeadAssignedV1 }
  | { type: 'LeadAccepted'; data: LeadAcceptedV1 }
  | { type: 'LeadContacted'; data: LeadContactedV1 }
  | { type: 'LeadRejected'; data: LeadRejectedV1 }
  | { type: 'LeadRecycled'; data: LeadRecycledV1 }
  | { type: 'LeadDisqualified'; data: LeadDisqualifiedV1 }
  | { type: 'LeadConverted'; data: LeadConvertedV1 }
  | { type: 'LeadsMerged'; data: LeadsMergedV1 };

export type RoutingLeadEventType = RoutingLeadEvent['type'];

/** Why a lead needs an owner, and whom it should not go to. */
export type AssignmentTrigger = {
  /** The stream version of the event that asked for an owner; one reservation per trigger. */
  version: number;
  reason: 'qualified' | 'rejected' | 'recycled';
  /** Route into this pool instead of the matched rule's (a recycled lead goes to the shared pool). */
  poolId?: string;
  /** Reps avoided while anyone else is eligible: everyone who had the lead. */
  avoidRepIds: string[];
  /** Reps that never get it: the one it was just taken from. */
  excludeRepIds: string[];
};

/**
 * The owner routing chose for a trigger and sent AssignLead for, until the lead's next ownership event:
 * its LeadAssigned confirms it; any other (an assignment of someone else, a close) means the Lead
 * refused it, and routing gives the rep's daily count back.
 */
export type Reservation = {
  triggerVersion: number;
  /** The command's time: the `assignedAt` of the LeadAssigned it yields, and of its SLA timer. */
  decidedAt: string;
  ownerId: string;
  poolId: string;
  ruleId?: string;
  strategy: RoutingStrategy;
  reason: AssignmentTrigger['reason'];
  responseDueAt: string;
  /** The rep's local day the assignment counted on (absent in reservations made before it was kept). */
  day?: string;
};

/** A lead nobody eligible could take; retried until someone can. */
export type Waiting = { trigger: AssignmentTrigger; since: string; triedPoolIds: string[]; why: string };

/** What routing keeps of a lead (a `routing_leads` row). */
export type RoutingLead = {
  leadId: string;
  tenantId: string;
  attributes: RoutableLead;
  /** The owner per the lead's events, or the reserved one until its LeadAssigned arrives. */
  ownerId?: string;
  /** Owned and not yet converted, disqualified, rejected or recycled: counts against the owner's cap. */
  open: boolean;
  /** Converted, disqualified or merged away: never assigned again. */
  closed: boolean;
  previousOwnerIds: string[];
  /** Sent and not yet settled by the lead's next ownership event. */
  reservation?: Reservation;
  waiting?: Waiting;
};

/** A lead routing has seen no event of yet. */
export function newRoutingLead(options: { leadId: string; tenantId: string }): RoutingLead {
  return { ...options, attributes: {}, open: false, closed: false, previousOwnerIds: [] };
}

/** The lead after one of its events. */
export function evolveRoutingLead(lead: RoutingLead, event: RoutingLeadEvent): RoutingLead {
  switch (event.type) {
    case 'LeadCaptured':
    case 'LeadProfileUpdated':
    case 'LeadScored':
      return { ...lead, attributes: routableLeadAfter(lead.attributes, event) };
    case 'LeadAssigned': {
      const { waiting: _waiting, reservation: _reservation, ...rest } = lead;
      return {
        ...rest,
        ownerId: event.data.ownerId,
        open: true,
        previousOwnerIds: withOwner(lead.previousOwnerIds, event.data.previousOwnerId),
      };
    }
    case 'LeadRejected':
      return released(lead, event.data.ownerId);
    case 'LeadRecycled':
      return released(lead, event.data.fromOwnerId);
    case 'LeadConverted':
    case 'LeadDisqualified':
      return closed(lead);
    case 'LeadsMerged':
      return event.data.role === 'merged' ? closed(lead) : lead;
    case 'LeadQualified':
    case 'LeadAccepted':
    case 'LeadContacted':
      return lead;
    default: {
      const missed: never = event;
      throw new Error(`unhandled event ${String(missed)}`);
    }
  }
}

/**
 * The trigger an event is for a lead in state `lead` (after the event): qualified leads get an
 * owner, rejected and recycled ones another; `undefined` for every other event.
 */
export function assignmentTriggerOf(options: {
  lead: RoutingLead;
  event: RoutingLeadEvent;
  version: number;
}): AssignmentTrigger | undefined {
  const { lead, event, version } = options;
  const avoidRepIds = [...lead.previousOwnerIds];
  switch (event.type) {
    case 'LeadQualified':
      return { version, reason: 'qualified', avoidRepIds, excludeRepIds: [] };
    case 'LeadRejected':
      return { version, reason: 'rejected', avoidRepIds, excludeRepIds: [event.data.ownerId] };
    case 'LeadRecycled':
      return {
        version,
        reason: 'recycled',
        poolId: event.data.toPoolId,
        avoidRepIds,
        excludeRepIds: [event.data.fromOwnerId],
      };
    default:
      return undefined;
  }
}

/**
 * Whether `event` settles the lead's reservation, and how: `confirmed` by its own LeadAssigned, `refused`
 * when the lead's next ownership event is another (a later AssignLead cannot land once the lead has an
 * owner or is closed, so that reservation never will). `undefined` when there is none or it stays pending.
 */
export function reservationOutcome(lead: RoutingLead, event: RoutingLeadEvent): 'confirmed' | 'refused' | undefined {
  const { reservation } = lead;
  if (reservation === undefined) return undefined;
  switch (event.type) {
    case 'LeadAssigned':
      return event.data.ownerId === reservation.ownerId && event.data.assignedAt === reservation.decidedAt
        ? 'confirmed'
        : 'refused';
    case 'LeadRejected':
    case 'LeadRecycled':
    case 'LeadConverted':
    case 'LeadDisqualified':
      return 'refused';
    case 'LeadsMerged':
      return event.data.role === 'merged' ? 'refused' : undefined;
    default:
      return undefined;
  }
}

function released(lead: RoutingLead, formerOwnerId: string): RoutingLead {
  const { ownerId: _ownerId, reservation: _reservation, ...rest } = lead;
  return { ...rest, open: false, previousOwnerIds: withOwner(lead.previousOwnerIds, formerOwnerId) };
}

function closed(lead: RoutingLead): RoutingLead {
  const { waiting: _waiting, reservation, ownerId, ...rest } = lead;
  // A reserved owner never had the lead: it closed before the assignment could land.
  const owner = reservation === undefined && ownerId !== undefined ? { ownerId } : {};
  return { ...rest, ...owner, open: false, closed: true };
}

function withOwner(owners: string[], ownerId: string | undefined): string[] {
  return ownerId === undefined || owners.includes(ownerId) ? owners : [...owners, ownerId];
}
