import { RuleViolation } from '../rule-violation.ts';
import { unreachable } from '../unreachable.ts';
import { activeLead } from './active-lead.ts';
import type { CaptureLead, LeadCommand, RecordActivity } from './lead.commands.ts';
import type { LeadEvent } from './lead.events.ts';
import {
  acceptLead,
  assignLead,
  breachResponseSla,
  convertLead,
  disqualifyLead,
  qualifySalesLead,
  recordContact,
  rejectLead,
  scoreLead,
} from './lead-lifecycle.decide.ts';
import type { ActiveLead, Lead } from './lead.state.ts';
import { profileChanges } from './lead-profile.ts';

/**
 * The events a Lead command produces; `[]` when already done (a capture id the lead applied).
 * @throws {@link RuleViolation} when refused; {@link LeadMergedError} when the lead was merged into another.
 */
export function decide(command: LeadCommand, lead: Lead): LeadEvent[] {
  switch (command.type) {
    case 'CaptureLead':
      return captureLead(command, lead);
    case 'RecordActivity':
      return recordActivity(command, lead);
    case 'ScoreLead':
      return scoreLead(command, activeLead(lead, command.data));
    case 'AssignLead':
      return assignLead(command, activeLead(lead, command.data));
    case 'AcceptLead':
      return acceptLead(command, activeLead(lead, command.data));
    case 'RecordContact':
      return recordContact(command, activeLead(lead, command.data));
    case 'RejectLead':
      return rejectLead(command, activeLead(lead, command.data));
    case 'DisqualifyLead':
      return disqualifyLead(command, activeLead(lead, command.data));
    case 'BreachResponseSla':
      return breachResponseSla(command, activeLead(lead, command.data));
    case 'QualifySalesLead':
      return qualifySalesLead(command, activeLead(lead, command.data));
    case 'ConvertLead':
      return convertLead(command, activeLead(lead, command.data));
    default:
      return unreachable(command);
  }
}

function captureLead(command: CaptureLead, lead: Lead): LeadEvent[] {
  const { data, captureId } = command;
  const now = command.metadata.now.toISOString();
  if (lead.status === 'none') {
    assertCapturable(data);
    return [{ type: 'LeadCaptured', data: { ...data, capturedAt: now, ...captureIdOf(captureId) } }];
  }
  const active = activeLead(lead, data);
  if (wasApplied(active, captureId)) return [];
  assertCapturable(data);
  const { leadId, tenantId } = active;
  const events: LeadEvent[] = [
    {
      type: 'LeadTouchRecorded',
      data: {
        leadId,
        tenantId,
        recordedAt: now,
        touchpoint: data.touchpoint,
        matchedBy: command.matchedBy ?? 'lead_id',
        ...captureIdOf(captureId),
      },
    },
  ];
  const changes = profileChanges(active.profile, data);
  if (changes !== undefined) {
    events.push({
      type: 'LeadProfileUpdated',
      data: { leadId, tenantId, updatedAt: now, source: 'capture', ...changes },
    });
  }
  return events;
}

function recordActivity(command: RecordActivity, lead: Lead): LeadEvent[] {
  const { leadId, tenantId, appliedCaptureIds } = activeLead(lead, command.data);
  if (wasApplied({ appliedCaptureIds }, command.captureId)) return [];
  return [
    {
      type: 'LeadActivityRecorded',
      data: {
        leadId,
        tenantId,
        recordedAt: command.metadata.now.toISOString(),
        activity: command.data.activity,
        ...captureIdOf(command.captureId),
      },
    },
  ];
}

function wasApplied(lead: Pick<ActiveLead, 'appliedCaptureIds'>, captureId: string | undefined): boolean {
  return captureId !== undefined && lead.appliedCaptureIds.includes(captureId);
}

function captureIdOf(captureId: string | undefined): { captureId?: string } {
  return captureId === undefined ? {} : { captureId };
}

function assertCapturable(data: CaptureLead['data']): void {
  if (data.contact.email === undefined && data.contact.phone === undefined) {
    throw new RuleViolation('a lead needs an email or a phone', { field: 'contact' });
  }
  if (data.consent?.optedOut === true && data.consent.marketing) {
    throw new RuleViolation('a person who opted out cannot consent to marketing', { field: 'consent.marketing' });
  }
}
