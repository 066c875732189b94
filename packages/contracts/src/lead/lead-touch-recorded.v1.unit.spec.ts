import { describe, expect, it } from 'vitest';
import { issuesOf } from '../schema-test-support.ts';
import { leadTouchRecordedV1Example, leadTouchRecordedV1Schema } from './lead-touch-recorded.v1.ts';

const minimal = {
  leadId: '3f1e2d4c-8b7a-4c6d-9e5f-1a2b3c4d5e6f',
  tenantId: 't1',
  recordedAt: '2025-01-01T00:00:00Z',
  touchpoint: { channel: 'csv_import', occurredAt: '2025-01-01T00:00:00Z' },
  matchedBy: 'phone',
};

describe('LeadTouchRecorded v1', () => {
  it('accepts the catalogue example', () => {
    expect(leadTouchRecordedV1Schema.parse(leadTouchRecordedV1Example)).toEqual(leadTouchRecordedV1Example);
  });

  it('accepts a touch without a capture id', () => {
    expect(issuesOf(leadTouchRecordedV1Schema, minimal)).toEqual([]);
  });

  it('strips unknown fields, also inside the touchpoint', () => {
    const parsed = leadTouchRecordedV1Schema.parse({
      ...minimal,
      score: 3,
      touchpoint: { ...minimal.touchpoint, gclid: 'x' },
    });
    expect(parsed).not.toHaveProperty('score');
    expect(parsed.touchpoint).not.toHaveProperty('gclid');
  });

  it.each([
    ['matchedBy', { ...minimal, matchedBy: 'fingerprint' }],
    ['touchpoint.channel', { ...minimal, touchpoint: { ...minimal.touchpoint, channel: 'fax' } }],
    ['recordedAt', { ...minimal, recordedAt: 'yesterday' }],
    ['captureId', { ...minimal, captureId: 'x'.repeat(201) }],
  ])('rejects a bad %s with its path', (field, data) => {
    expect(issuesOf(leadTouchRecordedV1Schema, data).map((issue) => issue.field)).toEqual([field]);
  });
});
