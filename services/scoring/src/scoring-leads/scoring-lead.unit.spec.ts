import { describe, expect, it } from 'vitest';
import {
  leadActivityRecordedV1Example,
  leadCapturedV1Example,
  leadProfileUpdatedV1Example,
  leadsMergedV1Example,
  leadTouchRecordedV1Example,
} from '@l2o/contracts';
import { applyLeadEvent, applyLeadEvents, minimizedContact } from './scoring-lead.ts';
import type { ScoringLead } from './scoring-lead.ts';

const leadId = leadCapturedV1Example.leadId;
const captured = { type: 'LeadCaptured' as const, data: leadCapturedV1Example };

function capturedLead(): ScoringLead {
  return applyLeadEvent({ lead: undefined, event: captured }).lead;
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
      const { lead, trigger } = applyLeadEvent({ lead: undefined, event: captured });

      expect(trigger).toBe('captured');
      expect(lead).toEqual({
        leadId,
        tenantId: 'acme',
        capturedAt: leadCapturedV1Example.capturedAt,
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

      const { lead, trigger } = applyLeadEvent({ lead: capturedLead(), event });

      expect(trigger).toBe('profile_updated');
      expect(lead.input.profile.contact).toMatchObject({ jobTitle: 'VP Analytics', email: '*@example.com' });
      expect(lead.input.profile.company).toEqual({ ...leadCapturedV1Example.company, size: 900 });
      expect(lead.input.profile.customFields).toEqual({ ...leadCapturedV1Example.customFields, seats: 40 });
    });
  });

  describe('LeadActivityRecorded', () => {
    it('adds the activity type and time to the activities', () => {
      const event = { type: 'LeadActivityRecorded' as const, data: leadActivityRecordedV1Example };

      const { lead, trigger } = applyLeadEvent({ lead: capturedLead(), event });

      expect(trigger).toBe('activity');
      expect(lead.input.activities).toEqual([{ type: 'pricing_page_view', occurredAt: '2025-04-03T08:14:47.000Z' }]);
    });
  });

  describe('LeadTouchRecorded', () => {
    it('keeps the first touch and gives no reason to score', () => {
      const event = { type: 'LeadTouchRecorded' as const, data: leadTouchRecordedV1Example };

      const { lead, trigger } = applyLeadEvent({ lead: capturedLead(), event });

      expect(trigger).toBeUndefined();
      expect(lead.input.firstTouch).toEqual(leadCapturedV1Example.touchpoint);
    });

    it('becomes the first touch of a lead whose capture scoring never saw', () => {
      const event = { type: 'LeadTouchRecorded' as const, data: { ...leadTouchRecordedV1Example, leadId } };

      const { lead } = applyLeadEvent({ lead: undefined, event });

      expect(lead.input.firstTouch).toEqual(leadTouchRecordedV1Example.touchpoint);
    });
  });

  describe('LeadsMerged', () => {
    const absorbedActivities = [{ type: 'demo_requested' as const, occurredAt: '2025-04-04T10:00:00.000Z' }];

    it('gives the survivor the activities of the merged lead and scores it', () => {
      const event = { type: 'LeadsMerged' as const, data: { ...leadsMergedV1Example, leadId } };

      const { lead, trigger } = applyLeadEvent({ lead: capturedLead(), event, absorbedActivities });

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
      });

      expect(trigger).toBeUndefined();
      expect(lead.mergedInto).toBe(leadsMergedV1Example.survivorLeadId);
    });
  });
});

describe('applyLeadEvents', () => {
  const activity = (type: 'pricing_page_view' | 'demo_requested', occurredAt: string) => ({
    type: 'LeadActivityRecorded' as const,
    data: { ...leadActivityRecordedV1Example, leadId, activity: { type, occurredAt } },
  });
  const touch = { type: 'LeadTouchRecorded' as const, data: { ...leadTouchRecordedV1Example, leadId } };

  it("folds a lead's events in order and scores it once, for the reason of its last change that asks for it", () => {
    const { changed, triggers } = applyLeadEvents({
      leads: new Map(),
      events: [
        captured,
        activity('pricing_page_view', '2025-04-03T08:14:47.000Z'),
        activity('demo_requested', '2025-04-03T09:00:00.000Z'),
        touch,
      ],
    });

    expect(changed.get(leadId)?.input.activities.map((entry) => entry.type)).toEqual([
      'pricing_page_view',
      'demo_requested',
    ]);
    expect([...triggers]).toEqual([[leadId, 'activity']]);
  });

  it('starts from the stored lead and leaves the map it was given as it was', () => {
    const stored = capturedLead();
    const leads = new Map([[leadId, stored]]);

    const { changed, triggers } = applyLeadEvents({
      leads,
      events: [activity('demo_requested', '2025-04-03T09:00:00.000Z')],
    });

    expect(changed.get(leadId)?.input).toMatchObject({ firstTouch: stored.input.firstTouch, activities: [{}] });
    expect(triggers.get(leadId)).toBe('activity');
    expect(leads.get(leadId)).toBe(stored);
    expect(stored.input.activities).toEqual([]);
  });

  it('changes a lead without scoring it when nothing the score reads changed', () => {
    const { changed, triggers } = applyLeadEvents({ leads: new Map([[leadId, capturedLead()]]), events: [touch] });

    expect(changed.has(leadId)).toBe(true);
    expect(triggers.size).toBe(0);
  });

  describe('a merge', () => {
    const mergedLeadId = leadsMergedV1Example.mergedLeadId;
    const survivorSide = { type: 'LeadsMerged' as const, data: { ...leadsMergedV1Example, leadId } };
    const mergedLead = (tenantId = 'acme'): ScoringLead => ({
      ...capturedLead(),
      leadId: mergedLeadId,
      tenantId,
      input: {
        ...capturedLead().input,
        activities: [{ type: 'demo_requested', occurredAt: '2025-04-01T00:00:00.000Z' }],
      },
    });

    it("gives the survivor the merged lead's activities as they stand at the merge and ends the merged lead's scoring", () => {
      const { changed, triggers } = applyLeadEvents({
        leads: new Map([
          [leadId, capturedLead()],
          [mergedLeadId, mergedLead()],
        ]),
        events: [survivorSide],
      });

      expect(changed.get(leadId)?.input.activities).toEqual(mergedLead().input.activities);
      expect(changed.get(mergedLeadId)?.mergedInto).toBe(leadId);
      expect([...triggers]).toEqual([[leadId, 'merged']]);
    });

    it('does not score a lead the batch merged away after an activity of its own', () => {
      const mergedActivity = {
        type: 'LeadActivityRecorded' as const,
        data: { ...leadActivityRecordedV1Example, leadId: mergedLeadId },
      };

      const { changed, triggers } = applyLeadEvents({
        leads: new Map([
          [leadId, capturedLead()],
          [mergedLeadId, mergedLead()],
        ]),
        events: [mergedActivity, survivorSide],
      });

      expect(changed.get(leadId)?.input.activities).toHaveLength(2);
      expect(triggers.has(mergedLeadId)).toBe(false);
    });

    it('takes nothing from a lead scoring keeps for another tenant', () => {
      const { changed } = applyLeadEvents({
        leads: new Map([
          [leadId, capturedLead()],
          [mergedLeadId, mergedLead('globex')],
        ]),
        events: [survivorSide],
      });

      expect(changed.get(leadId)?.input.activities).toEqual([]);
      expect(changed.has(mergedLeadId)).toBe(false);
    });
  });
});
