import { describe, expect, it } from 'vitest';
import { replayMoment } from './replay-moment.ts';

const capturedAt = new Date('2025-03-01T10:00:00.000Z');

describe('replayMoment', () => {
  it('is the capture time of a lead without activities', () => {
    expect(replayMoment({ capturedAt, activities: [] })).toEqual(capturedAt);
  });

  it('is the newest activity, whatever the order they were recorded in', () => {
    const activities = [
      { type: 'page_view' as const, occurredAt: '2025-03-05T08:00:00.000Z' },
      { type: 'demo_requested' as const, occurredAt: '2025-03-09T16:30:00.000Z' },
      { type: 'email_open' as const, occurredAt: '2025-03-02T07:00:00.000Z' },
    ];

    expect(replayMoment({ capturedAt, activities })).toEqual(new Date('2025-03-09T16:30:00.000Z'));
  });

  it('stays at the capture when every activity preceded it', () => {
    const activities = [{ type: 'page_view' as const, occurredAt: '2025-02-20T08:00:00.000Z' }];

    expect(replayMoment({ capturedAt, activities })).toEqual(capturedAt);
  });
});
