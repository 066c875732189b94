import { describe, expect, it } from 'vitest';
import { leadActivityRecordedV1Example, leadCapturedV1Example, leadTouchRecordedV1Example } from '@l2o/contracts';
import { touchOfLeadEvent } from './lead-touch.ts';

const source = { eventId: 'evt-1', streamVersion: 3 };

describe('touchOfLeadEvent', () => {
  it('takes the capture touch with its campaign and medium, tagged lead_created', () => {
    expect(touchOfLeadEvent({ type: 'LeadCaptured', data: leadCapturedV1Example }, source)).toEqual({
      touchId: 'evt-1',
      sourceVersion: 3,
      tenantId: 'acme',
      leadId: leadCapturedV1Example.leadId,
      occurredAt: '2025-03-14T09:26:41.000Z',
      channel: 'web_form',
      campaign: 'spring-webinar',
      medium: 'cpc',
      milestones: ['lead_created'],
    });
  });

  it('falls back to the UTM campaign and medium', () => {
    const data = {
      ...leadTouchRecordedV1Example,
      touchpoint: {
        channel: 'ad' as const,
        utm: { campaign: 'from-utm', medium: 'email' },
        occurredAt: '2025-04-02T14:04:58.000Z',
      },
    };
    expect(touchOfLeadEvent({ type: 'LeadTouchRecorded', data }, source)).toMatchObject({
      campaign: 'from-utm',
      medium: 'email',
      milestones: [],
    });
  });

  it('takes an activity with a channel or a campaign as a touch', () => {
    expect(touchOfLeadEvent({ type: 'LeadActivityRecorded', data: leadActivityRecordedV1Example }, source)).toEqual({
      touchId: 'evt-1',
      sourceVersion: 3,
      tenantId: 'acme',
      leadId: leadActivityRecordedV1Example.leadId,
      occurredAt: '2025-04-03T08:14:47.000Z',
      channel: 'web_form',
      campaign: 'q2-analytics',
      milestones: [],
    });
  });

  it('counts an activity with a campaign but no channel under other', () => {
    const { channel: _, ...activity } = leadActivityRecordedV1Example.activity;
    const data = { ...leadActivityRecordedV1Example, activity };
    expect(touchOfLeadEvent({ type: 'LeadActivityRecorded', data }, source)?.channel).toBe('other');
  });

  it('leaves out an activity that names neither a channel nor a campaign', () => {
    const data = {
      ...leadActivityRecordedV1Example,
      activity: { type: 'page_view' as const, occurredAt: '2025-04-03T08:14:47.000Z' },
    };
    expect(touchOfLeadEvent({ type: 'LeadActivityRecorded', data }, source)).toBeUndefined();
  });
});
