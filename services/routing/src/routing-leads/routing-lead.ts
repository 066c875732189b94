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

/** The owner routing chose for a trigger, as the AssignLead command it sends (and re-sends on redelivery). */
export type Reservation = {
  triggerVersion: number;
  /** The command's time, so a re-sent command decides the same LeadAssigned. */
  decidedAt: string;
  ownerId: string;
  poolId: string;
  ruleId?: string;
  strategy: RoutingStrategy;
  reason: AssignmentTrigger['reason'];
  responseDueAt: string;
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
  reservation?: Reservation;
  waiting?: Waiting;
  /** The last stream version applied; an event at or below it is a redelivery. */
  lastVersion: number;
};

/** A lead routing has seen no event of yet. */
export function newRoutingLead(options: { leadId: string; tenantId: string }): RoutingLead {
  return { ...options, attributes: {}, open: false, closed: false, previousOwnerIds: [], lastVersion: 0 };
}

/** The lead after one of its events (the caller sets `lastVersion`). */
export function evolveRoutingLead(lead: RoutingLead, event: RoutingLeadEvent): RoutingLead {
  switch (event.type) {
    case 'LeadCaptured':
    case 'LeadProfileUpdated':
    case 'LeadScored':
      return { ...lead, attributes: routableLeadAfter(lead.attributes, event) };
    case 'LeadAssigned': {
      const { waiting: _waiting, ...rest } = lead;
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

function released(lead: RoutingLead, formerOwnerId: string): RoutingLead {
  const { ownerId: _ownerId, ...rest } = lead;
  return { ...rest, open: false, previousOwnerIds: withOwner(lead.previousOwnerIds, formerOwnerId) };
}

function closed(lead: RoutingLead): RoutingLead {
  const { waiting: _waiting, ...rest } = lead;
  return { ...rest, open: false, closed: true };
}

function withOwner(owners: string[], ownerId: string | undefined): string[] {
  return ownerId === undefined || owners.includes(ownerId) ? owners : [...owners, ownerId];
}
