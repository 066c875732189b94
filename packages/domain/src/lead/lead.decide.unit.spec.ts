import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { handleCommand } from '../decider.ts';
import { RuleViolation } from '../rule-violation.ts';
import type { CaptureLead } from './lead.commands.ts';
import { leadDecider } from './lead.decider.ts';
import type { LeadEvent } from './lead.events.ts';

const now = new Date('2025-03-14T09:26:53.000Z');

function captureLead(overrides: Partial<CaptureLead['data']> = {}): CaptureLead {
  return {
    type: 'CaptureLead',
    data: {
      leadId: randomUUID(),
      tenantId: 'acme',
      contact: { email: 'ada@example.com', firstName: 'Ada' },
      company: { name: 'Analytical Engines Ltd', country: 'GB' },
      consent: { marketing: true, optedOut: false },
      touchpoint: { channel: 'web_form', utm: { source: 'google' }, occurredAt: '2025-03-14T09:26:41.000Z' },
      ...overrides,
    },
    metadata: { now },
  };
}

function capturedFrom(command: CaptureLead, capturedAt = now): LeadEvent {
  return { type: 'LeadCaptured', data: { ...command.data, capturedAt: capturedAt.toISOString() } };
}

function ruleViolationOf(act: () => unknown): RuleViolation {
  try {
    act();
  } catch (error) {
    if (error instanceof RuleViolation) return error;
    throw error;
  }
  throw new Error('expected a RuleViolation, nothing was thrown');
}

describe('Lead', () => {
  describe('when it does not exist', () => {
    it('captures it at the command time', () => {
      const command = captureLead();
      expect(handleCommand(leadDecider, [], command)).toEqual([capturedFrom(command)]);
    });

    it('captures a lead reachable by phone only', () => {
      const command = captureLead({ contact: { phone: '+14155550123' } });
      expect(handleCommand(leadDecider, [], command)).toEqual([capturedFrom(command)]);
    });

    it('refuses a lead with neither email nor phone', () => {
      const violation = ruleViolationOf(() =>
        handleCommand(leadDecider, [], captureLead({ contact: { firstName: 'Ada' } })),
      );
      expect(violation).toMatchObject({ name: 'RuleViolation', field: 'contact' });
    });

    it('refuses marketing consent from a person who opted out', () => {
      const command = captureLead({ consent: { marketing: true, optedOut: true } });
      expect(ruleViolationOf(() => handleCommand(leadDecider, [], command))).toMatchObject({
        field: 'consent.marketing',
      });
    });
  });

  describe('when already captured', () => {
    it('ignores the same capture delivered again later', () => {
      const command = captureLead();
      const redelivered: CaptureLead = { ...command, metadata: { now: new Date('2025-03-15T00:00:00.000Z') } };
      expect(handleCommand(leadDecider, [capturedFrom(command)], redelivered)).toEqual([]);
    });

    it('ignores a redelivery whose fields arrive in another order', () => {
      const command = captureLead();
      const { tenantId, contact, ...rest } = command.data;
      const reordered: CaptureLead = {
        ...command,
        data: { ...rest, contact: { firstName: 'Ada', email: contact.email }, tenantId },
      };
      expect(handleCommand(leadDecider, [capturedFrom(command)], reordered)).toEqual([]);
    });

    it('refuses a capture of the same lead with different data', () => {
      const command = captureLead();
      const changed: CaptureLead = {
        ...command,
        data: { ...command.data, contact: { email: 'someone.else@example.com' } },
      };
      const violation = ruleViolationOf(() => handleCommand(leadDecider, [capturedFrom(command)], changed));
      expect(violation).toMatchObject({ message: 'lead already captured', field: 'leadId' });
    });
  });

  describe('evolve', () => {
    it('ignores event types it does not know', () => {
      const state = leadDecider.initialState();
      const unknown = { type: 'LeadTeleported', data: {} } as unknown as LeadEvent;
      expect(leadDecider.evolve(state, unknown)).toBe(state);
    });
  });
});
