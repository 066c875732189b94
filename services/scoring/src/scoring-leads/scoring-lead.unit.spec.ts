import { describe, expect, it } from 'vitest';
import {
  leadActivityRecordedV1Example,
  leadCapturedV1Example,
  leadProfileUpdatedV1Example,
  leadsMergedV1Example,
  leadTouchRecordedV1Example,
} from '@l2o/contracts';
import { applyLeadEvent, minimizedContact } from './scoring-lead.ts';
import type { ScoringLead } from './scoring-lead.ts';

const leadId = leadCapturedV1Example.leadId;
const captured = { type: 'LeadCaptured' as const, data: leadCapturedV1Example };

function capturedLead(): ScoringLead {
  return applyLeadEvent({ lead: undefined, event: captured, version: 1 }).lead;
}

describe('minimizedContact', () => {
  it('keeps the job title and the email domain and only the presence of names and phone', () => {
    expect(
      minimizedContact({
        email: 'ada@example.com',
        phone: '+442079460000',
        firstName: 'Ada',
        lastName: 'Lovelace',
        jobTitle: 'Head of Analytics',
      }),
    ).toEqual({ email: '*@example.com', phone: '*', firstName: '*', lastName: '*', jobTitle: 'Head of Analytics' });
  });

  it('leaves out the fields the contact lacks', () => {
    expect(minimizedContact({ email: 'ada@example.com' })).toEqual({ email: '*@example.com' });
  });
});

describe('applyLeadEvent', () => {
  describe('LeadCaptured', () => {
    it('takes the profile, the touchpoint as first touch and the capture time, and scores on capture', () => {
      const { lead, trigger } = applyLeadEvent({ lead: undefined, event: captured, version: 1 });

      expect(trigger).toBe('captured');
      expect(lead).toEqual({
        leadId,
        tenantId: 'acme',
        capturedAt: leadCapturedV1Example.capturedAt,
        lastVersion: 1,
        input: {
          profile: {
            contact: {
              email: '*@example.com',
              phone: '*',
              firstName: '*',
              lastName: '*',
              jobTitle: 'Head of Analytics',
            },
            company: leadCapturedV1Example.company,
            customFields: leadCapturedV1Example.customFields,
          },
          firstTouch: leadCapturedV1Example.touchpoint,
          activities: [],
        },
      });
    });
  });

  describe('LeadProfileUpdated', () => {
    it('overwrites only the fields the update carries', () => {
      const event = {
        type: 'LeadProfileUpdated' as const,
        data: { ...leadProfileUpdatedV1Example, contact: { jobTitle: 'VP Analytics' }, company: { size: 900 } },
      };

      const { lead, trigger } = applyLeadEvent({ lead: capturedLead(), event, version: 2 });

      expect(trigger).toBe('profile_updated');
      expect(lead.lastVersion).toBe(2);
      expect(lead.input.profile.contact).toMatchObject({ jobTitle: 'VP Analytics', email: '*@example.com' });
      expect(lead.input.profile.company).toEqual({ ...leadCapturedV1Example.company, size: 900 });
      expect(lead.input.profile.customFields).toEqual({ ...leadCapturedV1Example.customFields, seats: 40 });
    });
  });

  describe('LeadActivityRecorded', () => {
    it('adds the activity type and time to the activities', () => {
      const event = { type: 'LeadActivityRecorded' as const, data: leadActivityRecordedV1Example };

      const { lead, trigger } = applyLeadEvent({ lead: capturedLead(), event, version: 2 });

      expect(trigger).toBe('activity');
      expect(lead.input.activities).toEqual([{ type: 'pricing_page_view', occurredAt: '2025-04-03T08:14:47.000Z' }]);
    });
  });

  describe('LeadTouchRecorded', () => {
    it('keeps the first touch and gives no reason to score', () => {
      const event = { type: 'LeadTouchRecorded' as const, data: leadTouchRecordedV1Example };

      const { lead, trigger } = applyLeadEvent({ lead: capturedLead(), event, version: 2 });

      expect(trigger).toBeUndefined();
      expect(lead.input.firstTouch).toEqual(leadCapturedV1Example.touchpoint);
      expect(lead.lastVersion).toBe(2);
    });

    it('becomes the first touch of a lead whose capture scoring never saw', () => {
      const event = { type: 'LeadTouchRecorded' as const, data: { ...leadTouchRecordedV1Example, leadId } };

      const { lead } = applyLeadEvent({ lead: undefined, event, version: 2 });

      expect(lead.input.firstTouch).toEqual(leadTouchRecordedV1Example.touchpoint);
    });
  });

  describe('LeadsMerged', () => {
    const absorbedActivities = [{ type: 'demo_requested' as const, occurredAt: '2025-04-04T10:00:00.000Z' }];

    it('gives the survivor the activities of the merged lead and scores it', () => {
      const event = { type: 'LeadsMerged' as const, data: { ...leadsMergedV1Example, leadId } };

      const { lead, trigger } = applyLeadEvent({ lead: capturedLead(), event, version: 3, absorbedActivities });

      expect(trigger).toBe('merged');
      expect(lead.input.activities).toEqual(absorbedActivities);
      expect(lead.mergedInto).toBeUndefined();
    });

    it('marks the merged lead as merged into the survivor and does not score it', () => {
      const merged = {
        ...leadsMergedV1Example,
        role: 'merged' as const,
        leadId: leadsMergedV1Example.mergedLeadId,
      };

      const { lead, trigger } = applyLeadEvent({
        lead: { ...capturedLead(), leadId: merged.mergedLeadId },
        event: { type: 'LeadsMerged', data: merged },
        version: 4,
      });

      expect(trigger).toBeUndefined();
      expect(lead.mergedInto).toBe(leadsMergedV1Example.survivorLeadId);
    });
  });
});
