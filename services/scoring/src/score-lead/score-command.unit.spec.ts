import { describe, expect, it } from 'vitest';
import { defaultScoringRuleSet, scoringRuleSetSchema } from '../model/index.ts';
import type { LeadScore } from '../model/index.ts';
import { isUnchanged, lastScoreOf, nextRescoreAt, toScoreCommand } from './score-command.ts';

const now = new Date('2025-05-01T12:00:00.000Z');
const leadId = '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b';

function leadScore(overrides: Partial<LeadScore> = {}): LeadScore {
  return {
    score: 63,
    grade: 'B',
    components: { fit: 72.5, engagement: 41.4, predictive: null },
    breakdown: [
      { part: 'fit', ruleId: 'seniority-vp', label: 'VP title', points: 30 },
      { part: 'engagement', ruleId: 'demo_requested', label: 'Demo requested × 1', points: 27.4 },
      { part: 'predictive', label: 'predictive: not enough closed outcomes (3 of 30)', points: 0 },
    ],
    ...overrides,
  };
}

function command(score: LeadScore, ruleSet = { version: 4, ruleSet: defaultScoringRuleSet }) {
  return toScoreCommand({ leadId, tenantId: 'acme', score, ruleSet, trigger: 'activity', now });
}

describe('toScoreCommand', () => {
  it('carries score, grade, rule set version, trigger and the MQL policy of the rule set', () => {
    const revoking = scoringRuleSetSchema.parse({ ...defaultScoringRuleSet, mql: { threshold: 70, revokeBelow: 40 } });

    const { data, metadata } = command(leadScore(), { version: 7, ruleSet: revoking });

    expect(data).toMatchObject({
      leadId,
      tenantId: 'acme',
      score: 63,
      grade: 'B',
      ruleSetVersion: 7,
      trigger: 'activity',
      mql: { threshold: 70, revokeBelow: 40 },
    });
    expect(metadata.now).toBe(now);
  });

  it('rounds the components half up to the whole numbers LeadScored carries', () => {
    const { data } = command(leadScore({ components: { fit: 72.5, engagement: 41.4, predictive: 66.7 } }));

    expect(data.components).toEqual({ fit: 73, engagement: 41, predictive: 67 });
  });

  it('keeps the breakdown lines as they are when they fit the event', () => {
    expect(command(leadScore()).data.breakdown).toEqual(leadScore().breakdown);
  });

  it('shortens a label beyond 300 characters', () => {
    const label = 'x'.repeat(400);
    const score = leadScore({ breakdown: [{ part: 'predictive', label, points: 0 }] });

    const [line] = command(score).data.breakdown;

    expect(line?.label).toHaveLength(300);
    expect(line?.label.endsWith('…')).toBe(true);
  });

  it('shortens a label of emoji without leaving half of one', () => {
    const score = leadScore({ breakdown: [{ part: 'predictive', label: '😀'.repeat(200), points: 0 }] });

    const [line] = command(score).data.breakdown;

    expect(line?.label).toBe(`${'😀'.repeat(149)}…`);
  });

  it('keeps at most 200 lines, the predictive line last', () => {
    const fitLines = Array.from({ length: 250 }, (_, index) => ({
      part: 'fit' as const,
      ruleId: `rule-${index}`,
      label: `Rule ${index}`,
      points: 1,
    }));
    const predictive = { part: 'predictive' as const, label: 'predictive: disabled', points: 0 };

    const { breakdown } = command(leadScore({ breakdown: [...fitLines, predictive] })).data;

    expect(breakdown).toHaveLength(200);
    expect(breakdown.at(-1)).toEqual(predictive);
  });
});

describe('isUnchanged', () => {
  const last = lastScoreOf(command(leadScore()));

  it('is true for the same score and grade under the same rule set version', () => {
    expect(isUnchanged(last, { ...last })).toBe(true);
  });

  it('is false for a lead never scored', () => {
    expect(isUnchanged(undefined, last)).toBe(false);
  });

  it('is false when the score, the grade or the rule set version differs', () => {
    expect(isUnchanged(last, { ...last, score: 64 })).toBe(false);
    expect(isUnchanged(last, { ...last, grade: 'A' })).toBe(false);
    expect(isUnchanged(last, { ...last, ruleSetVersion: 5 })).toBe(false);
  });
});

describe('nextRescoreAt', () => {
  it('is one interval later while engagement points remain', () => {
    expect(nextRescoreAt({ score: leadScore(), now, intervalMs: 3_600_000 })).toEqual(
      new Date('2025-05-01T13:00:00.000Z'),
    );
  });

  it('is null once engagement has decayed to nothing', () => {
    const score = leadScore({ components: { fit: 72.5, engagement: 0, predictive: null } });

    expect(nextRescoreAt({ score, now, intervalMs: 3_600_000 })).toBeNull();
  });
});
