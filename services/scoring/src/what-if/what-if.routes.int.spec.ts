import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveScoringLeads } from '../scoring-leads/scoring-lead.repository.ts';
import { startScoringTestEnv } from '../scoring-test-env.fixture.ts';
import type { ScoringTestEnv } from '../scoring-test-env.fixture.ts';

/** A rule set whose score is the fit points of one rule worth 100: a lead qualifies exactly when the rule matches. */
function oneRule(rule: Record<string, unknown>) {
  return {
    fit: { rules: [{ id: 'the-rule', label: 'The rule', points: 100, ...rule }] },
    engagement: { halfLifeDays: 14, activities: {} },
    predictive: { enabled: false },
    weights: { fit: 1, engagement: 0, predictive: 0 },
    mql: { threshold: 60 },
  };
}

const software = oneRule({ field: 'company.industry', operator: 'equals', value: 'software' });
const large = oneRule({ field: 'company.size', operator: 'gte', value: 1000 });

describe('POST /v1/scoring/what-if', () => {
  let env: ScoringTestEnv;
  let apiKey: string;

  beforeAll(async () => {
    env = await startScoringTestEnv();
    const tenant = await env.newTenant();
    apiKey = tenant.apiKey;
    await env.request({ method: 'PUT', url: '/v1/scoring/rules', apiKey, body: software });
    // Captured a day apart, A first; D and E are the most recent.
    const sample = [
      { name: 'A', industry: 'Software', size: 5000, outcome: 'won' },
      { name: 'B', industry: 'Software', size: 50, outcome: 'lost' },
      { name: 'C', industry: 'Retail', size: 2000, outcome: 'won' },
      { name: 'D', industry: 'Retail', size: 10, outcome: undefined },
      { name: 'E', industry: 'Software', size: 3000, outcome: undefined },
    ];
    for (const [day, lead] of sample.entries()) {
      const leadId = randomUUID();
      await saveScoringLeads(env.pool, [
        {
          leadId,
          tenantId: tenant.tenantId,
          capturedAt: new Date(Date.UTC(2025, 2, 1 + day)).toISOString(),
          input: {
            profile: {
              contact: {},
              company: { name: lead.name, industry: lead.industry, size: lead.size },
              customFields: {},
            },
            activities: [],
          },
        },
      ]);
      if (lead.outcome !== undefined) {
        await env.pool.query(
          `INSERT INTO scoring_outcomes (opportunity_id, tenant_id, lead_id, outcome, recorded_at, learned)
           VALUES ($1, $2, $3, $4, '2025-04-01T00:00:00Z', true)`,
          [randomUUID(), tenant.tenantId, leadId, lead.outcome],
        );
      }
    }
  });
  afterAll(async () => {
    await env.close();
  });

  it('reports how MQLs and conversion among them would have differed on the sample', async () => {
    const response = await env.request({
      method: 'POST',
      url: '/v1/scoring/what-if',
      apiKey,
      body: { ruleSet: large },
    });

    // Current (software): A won, B lost, E open qualify: 3 MQLs, 1 won of 2 closed = 0.5.
    // Candidate (1,000+ people): A won, C won, E open: 3 MQLs, 2 won of 2 closed = 1.
    // C is newly qualified (a won lead gained), B no longer (no won lead missed).
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      sampleSize: 5,
      currentRuleSetVersion: 2,
      current: { mql: 3, wonAmongMql: 1, lostAmongMql: 1, conversionRate: 0.5 },
      candidate: { mql: 3, wonAmongMql: 2, lostAmongMql: 0, conversionRate: 1 },
      newlyQualified: 1,
      noLongerQualified: 1,
      wonLeadsMissedByCandidate: 0,
      wonLeadsGainedByCandidate: 1,
    });
  });

  it('replays only the most recently captured leads when the sample is smaller', async () => {
    const response = await env.request({
      method: 'POST',
      url: '/v1/scoring/what-if',
      apiKey,
      body: { ruleSet: large, sampleSize: 2 },
    });

    // D and E: only E qualifies under either set, and neither closed.
    expect(response.json()).toMatchObject({
      sampleSize: 2,
      current: { mql: 1, wonAmongMql: 0, lostAmongMql: 0, conversionRate: null },
      candidate: { mql: 1, wonAmongMql: 0, lostAmongMql: 0, conversionRate: null },
      newlyQualified: 0,
      noLongerQualified: 0,
    });
  });

  it('answers 400 naming the field for an invalid candidate or sample size', async () => {
    const invalidRule = await env.request({
      method: 'POST',
      url: '/v1/scoring/what-if',
      apiKey,
      body: { ruleSet: oneRule({ field: 'company.size', operator: 'between', value: [10, 1] }) },
    });
    const tooLarge = await env.request({
      method: 'POST',
      url: '/v1/scoring/what-if',
      apiKey,
      body: { ruleSet: large, sampleSize: 10_001 },
    });

    expect(invalidRule.statusCode).toBe(400);
    expect(invalidRule.json()).toMatchObject({ field: 'ruleSet.fit.rules.0.value' });
    expect(tooLarge.statusCode).toBe(400);
    expect(tooLarge.json()).toMatchObject({ field: 'sampleSize' });
  });
});
