import { randomUUID } from 'node:crypto';
import type { LeadActivity } from '@l2o/contracts';
import { publishable } from '../decider.fixture.ts';
import type { CaptureLead, LeadCommand, MergeLeads, RecordActivity } from './lead.commands.ts';
import { leadDecider } from './lead.decider.ts';
import type { LeadCaptured, LeadEvent } from './lead.events.ts';
import type { Lead } from './lead.state.ts';

export { publishable, ruleViolationOf } from '../decider.fixture.ts';

export const now = new Date('2025-03-14T09:26:53.000Z');
export const later = new Date('2025-04-02T14:05:12.000Z');

/** A CaptureLead for a fresh lead id of tenant `acme`; `data` replaces fields of the default data. */
export function captureLead(
  options: {
    data?: Partial<CaptureLead['data']>;
    captureId?: string;
    matchedBy?: CaptureLead['matchedBy'];
    at?: Date;
  } = {},
): CaptureLead {
  return {
    type: 'CaptureLead',
    data: {
      leadId: randomUUID(),
      tenantId: 'acme',
      contact: { email: 'ada@example.com', firstName: 'Ada' },
      company: { name: 'Analytical Engines Ltd', country: 'GB' },
      consent: { marketing: true, optedOut: false },
      touchpoint: { channel: 'web_form', utm: { source: 'google' }, occurredAt: '2025-03-14T09:26:41.000Z' },
      ...options.data,
    },
    ...(options.captureId === undefined ? {} : { captureId: options.captureId }),
    ...(options.matchedBy === undefined ? {} : { matchedBy: options.matchedBy }),
    metadata: { now: options.at ?? now },
  };
}

/** The same capture again for an existing lead, with other data and a later time. */
export function captureAgain(
  lead: { leadId: string; tenantId?: string },
  options: Parameters<typeof captureLead>[0] = {},
): CaptureLead {
  return captureLead({
    at: later,
    ...options,
    data: {
      leadId: lead.leadId,
      tenantId: lead.tenantId ?? 'acme',
      touchpoint: { channel: 'ad', source: 'linkedin', occurredAt: '2025-04-02T14:04:58.000Z' },
      ...options.data,
    },
  });
}

/** The LeadCaptured a capture of a new lead yields. */
export function capturedFrom(command: CaptureLead): LeadCaptured {
  const { captureId } = command;
  return {
    type: 'LeadCaptured',
    data: { ...command.data, capturedAt: command.metadata.now.toISOString(), ...(captureId ? { captureId } : {}) },
  };
}

export const pageView: LeadActivity = {
  type: 'pricing_page_view',
  occurredAt: '2025-04-03T08:14:47.000Z',
  url: 'https://example.com/pricing',
};

export function recordActivity(
  lead: { leadId: string; tenantId?: string },
  options: { captureId?: string; activity?: LeadActivity } = {},
): RecordActivity {
  return {
    type: 'RecordActivity',
    data: { leadId: lead.leadId, tenantId: lead.tenantId ?? 'acme', activity: options.activity ?? pageView },
    ...(options.captureId === undefined ? {} : { captureId: options.captureId }),
    metadata: { now: later },
  };
}

export function mergeLeads(options: {
  survivorLeadId: string;
  mergedLeadId: string;
  tenantId?: string;
  reason?: string;
}): MergeLeads {
  const { tenantId = 'acme', ...ids } = options;
  return { type: 'MergeLeads', data: { tenantId, ...ids }, metadata: { now: later } };
}

/** The state after a stream's events. */
export function given(events: readonly LeadEvent[]): Lead {
  return events.reduce(leadDecider.evolve, leadDecider.initialState());
}

/** The events a command yields on a stream, each checked against its public contract. */
export function when(events: readonly LeadEvent[], command: LeadCommand): LeadEvent[] {
  return publishable(leadDecider.decide(command, given(events)));
}
