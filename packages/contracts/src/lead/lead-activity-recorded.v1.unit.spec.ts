import { describe, expect, it } from 'vitest';
import { issuesOf } from '../schema-test-support.ts';
import { leadActivityRecordedV1Example, leadActivityRecordedV1Schema } from './lead-activity-recorded.v1.ts';

const minimal = {
  leadId: '3f1e2d4c-8b7a-4c6d-9e5f-1a2b3c4d5e6f',
  tenantId: 't1',
  recordedAt: '2025-01-01T00:00:00Z',
  activity: { type: 'email_open', occurredAt: '2025-01-01T00:00:00Z' },
};

describe('LeadActivityRecorded v1', () => {
  it('accepts the catalogue example', () => {
    expect(leadActivityRecordedV1Schema.parse(leadActivityRecordedV1Example)).toEqual(leadActivityRecordedV1Example);
  });

  it('accepts an activity with only its type and time', () => {
    expect(issuesOf(leadActivityRecordedV1Schema, minimal)).toEqual([]);
  });

  it('strips unknown fields, also inside the activity', () => {
    const parsed = leadActivityRecordedV1Schema.parse({ ...minimal, activity: { ...minimal.activity, ip: '1.2.3.4' } });
    expect(parsed.activity).not.toHaveProperty('ip');
  });

  it.each([
    ['activity.type', { ...minimal, activity: { ...minimal.activity, type: 'tweet' } }],
    ['activity.occurredAt', { ...minimal, activity: { type: 'page_view' } }],
    ['activity.channel', { ...minimal, activity: { ...minimal.activity, channel: 'fax' } }],
    ['activity.url', { ...minimal, activity: { ...minimal.activity, url: 'javascript:alert(1)' } }],
    ['activity.details.nested', { ...minimal, activity: { ...minimal.activity, details: { nested: { a: 1 } } } }],
  ])('rejects a bad %s with its path', (field, data) => {
    expect(issuesOf(leadActivityRecordedV1Schema, data).map((issue) => issue.field)).toEqual([field]);
  });
});
