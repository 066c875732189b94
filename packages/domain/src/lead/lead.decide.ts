import { RuleViolation } from '../rule-violation.ts';
import { unreachable } from '../unreachable.ts';
import type { CaptureLead, LeadCommand, RecordActivity } from './lead.commands.ts';
import type { LeadEvent } from './lead.events.ts';
import type { ActiveLead, Lead } from './lead.state.ts';
import { LeadMergedError } from './lead-merged.error.ts';
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
  if (lead.status === 'none') throw new RuleViolation('lead does not exist', { field: 'leadId' });
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

// The tenant is checked first, so a merged lead's pointer never reaches another tenant.
function activeLead(lead: Exclude<Lead, { status: 'none' }>, target: { leadId: string; tenantId: string }): ActiveLead {
  if (lead.tenantId !== target.tenantId) {
    throw new RuleViolation('lead belongs to another tenant', { field: 'tenantId' });
  }
  if (lead.leadId !== target.leadId) {
    throw new RuleViolation(`the stream holds lead ${lead.leadId}`, { field: 'leadId' });
  }
  if (lead.status === 'merged') {
    throw new LeadMergedError({ mergedLeadId: lead.leadId, survivorLeadId: lead.mergedInto });
  }
  return lead;
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
