import { RuleViolation } from '../rule-violation.ts';
import { unreachable } from '../unreachable.ts';
import { captureFingerprint } from './capture-fingerprint.ts';
import type { CaptureLead, LeadCommand } from './lead.commands.ts';
import type { LeadEvent } from './lead.events.ts';
import type { Lead } from './lead.state.ts';

/** The events a Lead command produces; `[]` when already done, a `RuleViolation` when refused. */
export function decide(command: LeadCommand, lead: Lead): LeadEvent[] {
  switch (command.type) {
    case 'CaptureLead':
      return captureLead(command, lead);
    default:
      return unreachable(command.type);
  }
}

function captureLead(command: CaptureLead, lead: Lead): LeadEvent[] {
  const { data } = command;
  if (lead.status !== 'none') {
    // Intake is at-least-once: the same capture delivered again must not fail the consumer.
    if (lead.leadId === data.leadId && lead.captureFingerprint === captureFingerprint(data)) return [];
    throw new RuleViolation('lead already captured', { field: 'leadId' });
  }
  if (data.contact.email === undefined && data.contact.phone === undefined) {
    throw new RuleViolation('a lead needs an email or a phone', { field: 'contact' });
  }
  if (data.consent?.optedOut === true && data.consent.marketing) {
    throw new RuleViolation('a person who opted out cannot consent to marketing', { field: 'consent.marketing' });
  }
  return [{ type: 'LeadCaptured', data: { ...data, capturedAt: command.metadata.now.toISOString() } }];
}
