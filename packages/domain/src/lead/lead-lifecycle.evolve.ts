import type { LeadEvent } from './lead.events.ts';
import type { LeadLifecycle, LeadOwnership } from './lead.state.ts';

/** The lifecycle after one event; events that do not move it leave it as it was. */
export function evolveLifecycle(lifecycle: LeadLifecycle, event: LeadEvent): LeadLifecycle {
  switch (event.type) {
    case 'LeadScored':
      return { ...lifecycle, score: { score: event.data.score, grade: event.data.grade } };
    case 'LeadQualified':
      return lifecycle.stage === 'new' ? { ...lifecycle, stage: 'mql' } : lifecycle;
    case 'LeadQualificationRevoked':
      return lifecycle.stage === 'mql' ? { ...lifecycle, stage: 'new' } : lifecycle;
    case 'LeadAssigned': {
      const { ownerId, poolId, assignedAt, responseDueAt, previousOwnerId } = event.data;
      const owner: LeadOwnership = {
        ownerId,
        poolId,
        assignedAt,
        ...(responseDueAt === undefined ? {} : { responseDueAt }),
      };
      return { ...withoutOwner(lifecycle, previousOwnerId), owner };
    }
    case 'LeadAccepted':
    case 'LeadContacted':
      return answered(lifecycle, event.type === 'LeadAccepted' ? event.data.acceptedAt : event.data.contactedAt);
    case 'LeadRejected':
      return withoutOwner(lifecycle, event.data.ownerId);
    case 'LeadRecycled':
      return withoutOwner(lifecycle, event.data.fromOwnerId);
    case 'LeadResponseSlaBreached':
      return { ...lifecycle, responseSlaBreaches: event.data.breachCount };
    case 'LeadDisqualified':
      return { ...lifecycle, stage: 'disqualified' };
    case 'LeadSalesQualified':
      return { ...lifecycle, stage: 'sql' };
    case 'LeadConverted':
      return { ...lifecycle, stage: 'converted', opportunityId: event.data.opportunityId };
    default:
      return lifecycle;
  }
}

function answered(lifecycle: LeadLifecycle, at: string): LeadLifecycle {
  const owner = lifecycle.owner;
  if (owner === undefined || owner.respondedAt !== undefined) return lifecycle;
  return { ...lifecycle, owner: { ...owner, respondedAt: at } };
}

function withoutOwner(lifecycle: LeadLifecycle, formerOwnerId: string | undefined): LeadLifecycle {
  const { owner: _owner, ...rest } = lifecycle;
  if (formerOwnerId === undefined || lifecycle.previousOwnerIds.includes(formerOwnerId)) return rest;
  return { ...rest, previousOwnerIds: [...lifecycle.previousOwnerIds, formerOwnerId] };
}
