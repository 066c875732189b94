import { leadActivityTypes } from '@l2o/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decayFactor, scoreEngagement } from './engagement-score.ts';
import type { EngagementConfig } from './rule-set.schema.ts';
import { activity, now } from './scoring-input.fixture.ts';

const config: EngagementConfig = {
  halfLifeDays: 14,
  activities: {
    pricing_page_view: { points: 15, cap: 30 },
    demo_requested: { points: 30, cap: 30 },
    content_download: { points: 10, cap: 20 },
    webinar_attended: { points: 40, cap: 40 },
    email_open: { points: 1, cap: 5 },
  },
};

describe('scoreEngagement', () => {
  it('gives an activity of today its full points', () => {
    expect(scoreEngagement({ activities: [activity('pricing_page_view')], config, now }).points).toBe(15);
  });

  it('halves the points every half-life', () => {
    const points = (daysAgo: number) =>
      scoreEngagement({ activities: [activity('pricing_page_view', daysAgo)], config, now }).points;
    expect([points(14), points(28)]).toEqual([7.5, 3.75]);
  });

  it('decays between half-lives exponentially', () => {
    // 7 days with a 14-day half-life: 15 × 0.5^(7/14) = 15 × 0.70710678… = 10.6066017…
    const result = scoreEngagement({ activities: [activity('pricing_page_view', 7)], config, now });
    expect(result.points).toBeCloseTo(10.6066017, 6);
  });

  it('caps the points of one type', () => {
    const activities = [0, 0, 0].map(() => activity('pricing_page_view'));
    expect(scoreEngagement({ activities, config, now }).contributions).toEqual([
      { activityType: 'pricing_page_view', count: 3, points: 30, label: 'Pricing page view × 3 (capped at 30)' },
    ]);
  });

  it('applies the cap to the decayed sum', () => {
    // Three views 28 days ago: 3 × 15 × 0.25 = 11.25, under the cap of 30.
    const activities = [28, 28, 28].map((daysAgo) => activity('pricing_page_view', daysAgo));
    expect(scoreEngagement({ activities, config, now }).points).toBe(11.25);
  });

  it('counts an activity dated after now as happening now', () => {
    expect(scoreEngagement({ activities: [activity('content_download', -3)], config, now }).points).toBe(10);
  });

  it('ignores activity types the rule set gives no points', () => {
    expect(scoreEngagement({ activities: [activity('page_view')], config, now })).toEqual({
      points: 0,
      contributions: [],
    });
  });

  it('ignores an activity whose time cannot be read', () => {
    const activities = [{ type: 'demo_requested' as const, occurredAt: 'yesterday' }];
    expect(scoreEngagement({ activities, config, now }).points).toBe(0);
  });

  it('lists types by points, highest first', () => {
    const activities = [activity('email_open'), activity('demo_requested'), activity('content_download')];
    const types = scoreEngagement({ activities, config, now }).contributions.map((line) => line.activityType);
    expect(types).toEqual(['demo_requested', 'content_download', 'email_open']);
  });

  it('never exceeds 100 in total', () => {
    // 30 + 40 + 15 + 10 = 95 before the 100 limit; a second pricing view brings it to 110.
    const activities = [
      'demo_requested',
      'webinar_attended',
      'pricing_page_view',
      'content_download',
      'pricing_page_view',
    ] as const;
    expect(scoreEngagement({ activities: activities.map((type) => activity(type)), config, now }).points).toBe(100);
  });

  it('only falls as time passes, within 0..100', () => {
    const anActivity = fc.record({
      type: fc.constantFrom(...leadActivityTypes),
      daysAgo: fc.double({ min: -30, max: 400, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(anActivity, { maxLength: 30 }),
        fc.double({ min: 0, max: 365, noNaN: true }),
        (list, later) => {
          const activities = list.map(({ type, daysAgo }) => activity(type, daysAgo));
          const atNow = scoreEngagement({ activities, config, now }).points;
          const atLater = scoreEngagement({
            activities,
            config,
            now: new Date(now.getTime() + later * 86_400_000),
          }).points;
          return atLater <= atNow + 1e-9 && atLater >= 0 && atNow <= 100;
        },
      ),
    );
  });
});

describe('decayFactor', () => {
  it('is 1 for no age and for negative age', () => {
    expect(decayFactor({ ageDays: 0, halfLifeDays: 14 })).toBe(1);
    expect(decayFactor({ ageDays: -5, halfLifeDays: 14 })).toBe(1);
  });
});
