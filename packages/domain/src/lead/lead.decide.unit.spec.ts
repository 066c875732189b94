import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LeadEvent } from './lead.events.ts';
import { LeadMergedError } from './lead-merged.error.ts';
import {
  captureAgain,
  captureLead,
  capturedFrom,
  later,
  pageView,
  recordActivity,
  ruleViolationOf,
  when,
} from './lead.fixture.ts';

const laterIso = later.toISOString();

/** A lead captured with the default data and capture id `c-1`. */
function capturedLead(data: Parameters<typeof captureLead>[0] = {}) {
  const command = captureLead({ captureId: 'c-1', ...data });
  return { leadId: command.data.leadId, stream: [capturedFrom(command)] as LeadEvent[] };
}

/** The stream of a lead merged into `survivorLeadId`. */
function mergedLead(survivorLeadId = randomUUID()) {
  const { leadId, stream } = capturedLead();
  const merged: LeadEvent = {
    type: 'LeadsMerged',
    data: { leadId, tenantId: 'acme', survivorLeadId, mergedLeadId: leadId, role: 'merged', mergedAt: laterIso },
  };
  return { leadId, survivorLeadId, stream: [...stream, merged] };
}

describe('Lead', () => {
  describe('when it does not exist', () => {
    it('captures it at the command time', () => {
      const command = captureLead();
      expect(when([], command)).toEqual([capturedFrom(command)]);
    });

    it('records the capture id on LeadCaptured', () => {
      const command = captureLead({ captureId: 'Idempotency-Key 1', matchedBy: 'email' });
      expect(when([], command)).toEqual([
        { type: 'LeadCaptured', data: expect.objectContaining({ captureId: 'Idempotency-Key 1' }) },
      ]);
    });

    it('captures a lead reachable by phone only', () => {
      const command = captureLead({ data: { contact: { phone: '+14155550123' } } });
      expect(when([], command)).toEqual([capturedFrom(command)]);
    });

    it('refuses a lead with neither email nor phone', () => {
      const violation = ruleViolationOf(() => when([], captureLead({ data: { contact: { firstName: 'Ada' } } })));
      expect(violation).toMatchObject({ name: 'RuleViolation', field: 'contact' });
    });

    it('refuses marketing consent from a person who opted out', () => {
      const command = captureLead({ data: { consent: { marketing: true, optedOut: true } } });
      expect(ruleViolationOf(() => when([], command))).toMatchObject({ field: 'consent.marketing' });
    });

    it('refuses an activity', () => {
      expect(ruleViolationOf(() => when([], recordActivity({ leadId: randomUUID() })))).toMatchObject({
        message: 'lead does not exist',
        field: 'leadId',
      });
    });
  });

  describe('when captured again', () => {
    it('records a touch and fills only the profile fields the lead did not have', () => {
      const { leadId, stream } = capturedLead();
      const command = captureAgain(
        { leadId },
        {
          captureId: 'c-2',
          matchedBy: 'email',
          data: {
            contact: { email: 'ada.l@example.com', firstName: 'Augusta', lastName: 'Lovelace', phone: '+442079460000' },
            company: { name: 'Engines Inc', country: 'FR', size: 120 },
            externalIds: [{ source: 'hubspot', id: '51234' }],
            customFields: { seats: 25 },
          },
        },
      );
      expect(when(stream, command)).toEqual([
        {
          type: 'LeadTouchRecorded',
          data: {
            leadId,
            tenantId: 'acme',
            recordedAt: laterIso,
            touchpoint: command.data.touchpoint,
            matchedBy: 'email',
            captureId: 'c-2',
          },
        },
        {
          type: 'LeadProfileUpdated',
          data: {
            leadId,
            tenantId: 'acme',
            updatedAt: laterIso,
            source: 'capture',
            contact: { lastName: 'Lovelace', phone: '+442079460000' },
            company: { size: 120 },
            externalIds: [{ source: 'hubspot', id: '51234' }],
            customFields: { seats: 25 },
          },
        },
      ]);
    });

    it('records only the touch when the capture brings nothing new, matched by lead id by default', () => {
      const { leadId, stream } = capturedLead();
      const events = when(stream, captureAgain({ leadId }, { data: { contact: { email: 'ada@example.com' } } }));
      expect(events).toEqual([
        { type: 'LeadTouchRecorded', data: expect.objectContaining({ leadId, matchedBy: 'lead_id' }) },
      ]);
      expect(events[0]?.data).not.toHaveProperty('captureId');
    });

    it('adds only the external ids and custom fields it did not have; a null value is no value', () => {
      const { leadId, stream } = capturedLead({
        data: { externalIds: [{ source: 'hubspot', id: '1' }], customFields: { seats: 10, budget: null } },
      });
      const command = captureAgain(
        { leadId },
        {
          data: {
            externalIds: [
              { source: 'hubspot', id: '1' },
              { source: 'hubspot', id: '2' },
              { source: 'salesforce', id: '1' },
              { source: 'hubspot', id: '2' },
            ],
            customFields: { seats: 99, budget: 5000, region: null, constructor: 'x' },
          },
        },
      );
      expect(when(stream, command)[1]?.data).toEqual(
        expect.objectContaining({
          externalIds: [
            { source: 'hubspot', id: '2' },
            { source: 'salesforce', id: '1' },
          ],
          customFields: { budget: 5000, constructor: 'x' },
        }),
      );
    });

    it('fills consent the lead did not have', () => {
      const { leadId, stream } = capturedLead({ data: { consent: undefined } });
      const command = captureAgain({ leadId }, { data: { consent: { marketing: true, optedOut: false } } });
      expect(when(stream, command)[1]?.data).toEqual(
        expect.objectContaining({ consent: { marketing: true, optedOut: false } }),
      );
    });

    it('keeps the known consent when a capture brings another consent that is no opt-out', () => {
      const { leadId, stream } = capturedLead({ data: { consent: { marketing: false, optedOut: false } } });
      const command = captureAgain({ leadId }, { data: { consent: { marketing: true, optedOut: false } } });
      expect(when(stream, command).map((event) => event.type)).toEqual(['LeadTouchRecorded']);
    });

    it('always applies an opt-out, over known marketing consent', () => {
      const { leadId, stream } = capturedLead({ data: { consent: { marketing: true, optedOut: false } } });
      const command = captureAgain({ leadId }, { data: { consent: { marketing: false, optedOut: true } } });
      expect(when(stream, command)[1]).toEqual({
        type: 'LeadProfileUpdated',
        data: expect.objectContaining({ consent: { marketing: false, optedOut: true } }),
      });
    });

    it('keeps an opt-out when a later capture consents again', () => {
      const { leadId, stream } = capturedLead({ data: { consent: { marketing: false, optedOut: true } } });
      const optIn = captureAgain({ leadId }, { data: { consent: { marketing: true, optedOut: false } } });
      expect(when(stream, optIn).map((event) => event.type)).toEqual(['LeadTouchRecorded']);
    });

    it('ignores a capture id it already applied, at capture or at a later touch', () => {
      const { leadId, stream } = capturedLead();
      expect(when(stream, captureAgain({ leadId }, { captureId: 'c-1' }))).toEqual([]);
      const touched = [...stream, ...when(stream, captureAgain({ leadId }, { captureId: 'c-2' }))];
      expect(when(touched, captureAgain({ leadId }, { captureId: 'c-2', data: { customFields: { x: 1 } } }))).toEqual(
        [],
      );
    });

    it('refuses marketing consent from a person who opted out', () => {
      const { leadId, stream } = capturedLead();
      const command = captureAgain({ leadId }, { data: { consent: { marketing: true, optedOut: true } } });
      expect(ruleViolationOf(() => when(stream, command))).toMatchObject({ field: 'consent.marketing' });
    });

    it('refuses a capture for another tenant', () => {
      const { leadId, stream } = capturedLead();
      const violation = ruleViolationOf(() => when(stream, captureAgain({ leadId, tenantId: 'globex' })));
      expect(violation).toMatchObject({ message: 'lead belongs to another tenant', field: 'tenantId' });
    });

    it('refuses a capture that names another lead than its stream’s', () => {
      const { stream } = capturedLead();
      expect(ruleViolationOf(() => when(stream, captureAgain({ leadId: randomUUID() })))).toMatchObject({
        field: 'leadId',
      });
    });
  });

  describe('when recording activities', () => {
    it('records the activity at the command time with its capture id', () => {
      const { leadId, stream } = capturedLead();
      expect(when(stream, recordActivity({ leadId }, { captureId: 'a-1' }))).toEqual([
        {
          type: 'LeadActivityRecorded',
          data: { leadId, tenantId: 'acme', recordedAt: laterIso, activity: pageView, captureId: 'a-1' },
        },
      ]);
    });

    it('ignores a capture id it already applied, by an activity or a capture', () => {
      const { leadId, stream } = capturedLead();
      const recorded = [...stream, ...when(stream, recordActivity({ leadId }, { captureId: 'a-1' }))];
      expect(when(recorded, recordActivity({ leadId }, { captureId: 'a-1' }))).toEqual([]);
      expect(when(recorded, recordActivity({ leadId }, { captureId: 'c-1' }))).toEqual([]);
    });

    it('records every activity without a capture id', () => {
      const { leadId, stream } = capturedLead();
      const recorded = [...stream, ...when(stream, recordActivity({ leadId }))];
      expect(when(recorded, recordActivity({ leadId }))).toHaveLength(1);
    });

    it('refuses an activity for another tenant', () => {
      const { leadId, stream } = capturedLead();
      expect(ruleViolationOf(() => when(stream, recordActivity({ leadId, tenantId: 'globex' })))).toMatchObject({
        field: 'tenantId',
      });
    });
  });

  describe('when merged into another lead', () => {
    it('refuses a capture, pointing at the survivor', () => {
      const { leadId, survivorLeadId, stream } = mergedLead();
      const violation = ruleViolationOf(() => when(stream, captureAgain({ leadId }, { captureId: 'c-9' })));
      expect(violation).toBeInstanceOf(LeadMergedError);
      expect(violation).toMatchObject({ name: 'RuleViolation', field: 'leadId', survivorLeadId, mergedLeadId: leadId });
    });

    it('refuses an activity, pointing at the survivor', () => {
      const { leadId, survivorLeadId, stream } = mergedLead();
      const violation = ruleViolationOf(() => when(stream, recordActivity({ leadId })));
      expect(violation).toBeInstanceOf(LeadMergedError);
      expect(violation).toMatchObject({ survivorLeadId });
    });

    it('refuses a capture for another tenant without revealing the survivor', () => {
      const { leadId, stream } = mergedLead();
      const violation = ruleViolationOf(() => when(stream, captureAgain({ leadId, tenantId: 'globex' })));
      expect(violation).not.toBeInstanceOf(LeadMergedError);
      expect(violation).toMatchObject({ field: 'tenantId' });
    });
  });
});
