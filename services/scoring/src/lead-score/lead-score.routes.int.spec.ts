import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idealProfile, startOfTests, startScoringTestEnv } from '../scoring-test-env.fixture.ts';
import type { ScoringTestEnv } from '../scoring-test-env.fixture.ts';

describe('GET /v1/scoring/leads/{leadId}', () => {
  let env: ScoringTestEnv;

  beforeAll(async () => {
    env = await startScoringTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  it('explains the score of a lead computed now, with every rule and activity behind it', async () => {
    const { tenantId, apiKey } = await env.newTenant(['read_reports']);
    env.setNow(startOfTests);
    const leadId = await env.captureLead({ tenantId, ...idealProfile });
    await env.recordActivity({ tenantId, leadId, type: 'demo_requested' });
    await env.applyStream(leadId);
    // 14 days later the demo's 30 points are 15: (0.5·90 + 0.3·15) / 0.8 = 61.9, so 62.
    env.setNow(new Date(startOfTests.getTime() + 14 * 86_400_000));

    const response = await env.request({ url: `/v1/scoring/leads/${leadId}`, apiKey });

    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      leadId,
      scoredAt: '2025-05-15T12:00:00.000Z',
      score: 62,
      grade: 'B',
      components: { fit: 90, engagement: 15, predictive: null },
      ruleSetVersion: 1,
      mqlThreshold: 60,
      lastRecordedScore: 68,
      breakdown: [
        { part: 'fit', ruleId: 'seniority-vp', label: 'VP title', points: 30 },
        { part: 'fit', ruleId: 'size-enterprise', label: '1,000 or more employees', points: 25 },
        { part: 'fit', ruleId: 'industry-target', label: 'Target industry', points: 25 },
        { part: 'fit', ruleId: 'country-target', label: 'Target market', points: 10 },
        { part: 'engagement', ruleId: 'demo_requested', label: 'Demo requested × 1', points: 15 },
        { part: 'predictive', label: 'predictive: not enough closed outcomes (0 of 30)', points: 0 },
      ],
    });
  });

  it("answers 404 for a lead scoring does not know and for another tenant's lead", async () => {
    const { apiKey } = await env.newTenant(['read_reports']);
    const other = await env.newTenant();
    const theirs = await env.captureLead({ tenantId: other.tenantId, ...idealProfile });
    await env.applyStream(theirs);

    const unknown = await env.request({ url: `/v1/scoring/leads/${randomUUID()}`, apiKey });
    const foreign = await env.request({ url: `/v1/scoring/leads/${theirs}`, apiKey });

    expect([unknown.statusCode, foreign.statusCode]).toEqual([404, 404]);
    expect(foreign.json()).toMatchObject({ code: 'not_found', field: 'leadId' });
  });
});
