import { RuleViolation } from '../rule-violation.ts';
import type {
  AcceptLead,
  AssignLead,
  BreachResponseSla,
  ConvertLead,
  DisqualifyLead,
  QualifySalesLead,
  RecordContact,
  RejectLead,
  ScoreLead,
} from './lead.commands.ts';
import type { LeadEvent } from './lead.events.ts';
import type { ActiveLead, LeadOwnership } from './lead.state.ts';

// Qualification, ownership and conversion of an active lead. Each function gets a lead already checked
// by `activeLead`; automatic callers (consumers, timers) rely on `[]` for "already done or no longer applies".

const isClosed = (lead: ActiveLead) => lead.lifecycle.stage === 'converted' || lead.lifecycle.stage === 'disqualified';

export function scoreLead(command: ScoreLead, lead: ActiveLead): LeadEvent[] {
  const { leadId, tenantId } = lead;
  const { score, grade, components, breakdown, ruleSetVersion, trigger, mql } = command.data;
  const at = command.metadata.now.toISOString();
  const previous = lead.lifecycle.score;
  const events: LeadEvent[] = [];
  if (previous === undefined || previous.score !== score || previous.grade !== grade) {
    events.push({
      type: 'LeadScored',
      data: {
        leadId,
        tenantId,
        scoredAt: at,
        score,
        grade,
        ...(previous === undefined ? {} : { previousScore: previous.score }),
        components,
        breakdown,
        ruleSetVersion,
        trigger,
      },
    });
  }
  const { stage } = lead.lifecycle;
  if (stage === 'new' && score >= mql.threshold) {
    events.push({
      type: 'LeadQualified',
      data: { leadId, tenantId, qualifiedAt: at, score, threshold: mql.threshold, ruleSetVersion },
    });
  } else if (stage === 'mql' && mql.revokeBelow != null && score < mql.revokeBelow) {
    events.push({
      type: 'LeadQualificationRevoked',
      data: { leadId, tenantId, revokedAt: at, score, revokeBelow: mql.revokeBelow },
    });
  }
  return events;
}

export function assignLead(command: AssignLead, lead: ActiveLead): LeadEvent[] {
  const { ownerId, poolId, ruleId, strategy, reason, responseDueAt } = command.data;
  const current = lead.lifecycle.owner;
  if (isClosed(lead)) {
    if (reason === 'manual')
      throw new RuleViolation(`a ${lead.lifecycle.stage} lead cannot be assigned`, { field: 'leadId' });
    return [];
  }
  if (current !== undefined && (reason !== 'manual' || current.ownerId === ownerId)) return [];
  return [
    {
      type: 'LeadAssigned',
      data: {
        leadId: lead.leadId,
        tenantId: lead.tenantId,
        assignedAt: command.metadata.now.toISOString(),
        ownerId,
        poolId,
        ...(ruleId === undefined ? {} : { ruleId }),
        strategy,
        reason,
        ...(responseDueAt === undefined ? {} : { responseDueAt }),
        ...(current === undefined ? {} : { previousOwnerId: current.ownerId }),
      },
    },
  ];
}

function ownership(lead: ActiveLead, ownerId: string): LeadOwnership {
  if (isClosed(lead)) throw new RuleViolation(`the lead is ${lead.lifecycle.stage}`, { field: 'leadId' });
  const owner = lead.lifecycle.owner;
  if (owner === undefined) throw new RuleViolation('the lead has no owner', { field: 'ownerId' });
  if (owner.ownerId !== ownerId) throw new RuleViolation('the lead is owned by another rep', { field: 'ownerId' });
  return owner;
}

export function acceptLead(command: AcceptLead, lead: ActiveLead): LeadEvent[] {
  const owner = ownership(lead, command.data.ownerId);
  if (owner.respondedAt !== undefined) return [];
  const data = { leadId: lead.leadId, tenantId: lead.tenantId, ownerId: owner.ownerId };
  return [{ type: 'LeadAccepted', data: { ...data, acceptedAt: command.metadata.now.toISOString() } }];
}

export function recordContact(command: RecordContact, lead: ActiveLead): LeadEvent[] {
  const { ownerId, method, note } = command.data;
  ownership(lead, ownerId);
  return [
    {
      type: 'LeadContacted',
      data: {
        leadId: lead.leadId,
        tenantId: lead.tenantId,
        ownerId,
        contactedAt: command.metadata.now.toISOString(),
        method,
        ...(note === undefined ? {} : { note }),
      },
    },
  ];
}

export function rejectLead(command: RejectLead, lead: ActiveLead): LeadEvent[] {
  const { ownerId, reason } = command.data;
  ownership(lead, ownerId);
  const at = command.metadata.now.toISOString();
  return [
    { type: 'LeadRejected', data: { leadId: lead.leadId, tenantId: lead.tenantId, ownerId, rejectedAt: at, reason } },
  ];
}

export function disqualifyLead(command: DisqualifyLead, lead: ActiveLead): LeadEvent[] {
  const { stage } = lead.lifecycle;
  if (stage === 'disqualified') return [];
  if (stage === 'converted') throw new RuleViolation('a converted lead cannot be disqualified', { field: 'leadId' });
  const { by, reason } = command.data;
  const at = command.metadata.now.toISOString();
  return [
    {
      type: 'LeadDisqualified',
      data: { leadId: lead.leadId, tenantId: lead.tenantId, disqualifiedAt: at, by, reason },
    },
  ];
}

export function breachResponseSla(command: BreachResponseSla, lead: ActiveLead): LeadEvent[] {
  const { ownerId, assignedAt, sharedPoolId, escalateAfterBreaches, managerId } = command.data;
  const owner = lead.lifecycle.owner;
  // The timer was set for one assignment; a newer one, an answer or a closed lead makes it moot.
  const stillDue =
    !isClosed(lead) &&
    owner !== undefined &&
    owner.ownerId === ownerId &&
    owner.assignedAt === assignedAt &&
    owner.respondedAt === undefined &&
    owner.responseDueAt !== undefined;
  if (!stillDue) return [];
  const { leadId, tenantId } = lead;
  const at = command.metadata.now.toISOString();
  const breachCount = lead.lifecycle.responseSlaBreaches + 1;
  const manager = managerId === undefined ? {} : { managerId };
  const events: LeadEvent[] = [
    {
      type: 'LeadResponseSlaBreached',
      data: {
        leadId,
        tenantId,
        ownerId,
        poolId: owner.poolId,
        assignedAt,
        dueAt: owner.responseDueAt ?? at,
        breachedAt: at,
        breachCount,
        ...manager,
      },
    },
    {
      type: 'LeadRecycled',
      data: {
        leadId,
        tenantId,
        recycledAt: at,
        fromOwnerId: ownerId,
        toPoolId: sharedPoolId,
        reason: 'response_sla_breached',
      },
    },
  ];
  if (breachCount >= escalateAfterBreaches) {
    events.push({
      type: 'LeadEscalated',
      data: {
        leadId,
        tenantId,
        escalatedAt: at,
        breachCount,
        ...manager,
        reason: `first-response SLA breached ${breachCount} times`,
      },
    });
  }
  return events;
}

export function qualifySalesLead(command: QualifySalesLead, lead: ActiveLead): LeadEvent[] {
  const { stage } = lead.lifecycle;
  if (stage === 'sql' || stage === 'converted') return [];
  const { by, notes } = command.data;
  ownership(lead, by);
  return [
    {
      type: 'LeadSalesQualified',
      data: {
        leadId: lead.leadId,
        tenantId: lead.tenantId,
        qualifiedAt: command.metadata.now.toISOString(),
        by,
        ...(notes === undefined ? {} : { notes }),
      },
    },
  ];
}

export function convertLead(command: ConvertLead, lead: ActiveLead): LeadEvent[] {
  const { by, opportunityId } = command.data;
  const { stage } = lead.lifecycle;
  if (stage === 'converted') {
    if (lead.lifecycle.opportunityId === opportunityId) return [];
    throw new RuleViolation('the lead was already converted to another opportunity', { field: 'opportunityId' });
  }
  if (stage !== 'sql') {
    throw new RuleViolation('only a sales-qualified lead can be converted', { field: 'status' });
  }
  ownership(lead, by);
  const at = command.metadata.now.toISOString();
  return [
    {
      type: 'LeadConverted',
      data: { leadId: lead.leadId, tenantId: lead.tenantId, convertedAt: at, opportunityId, by },
    },
  ];
}
