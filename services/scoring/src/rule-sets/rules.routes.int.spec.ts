import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxDurationDays, maxSettingCount, maxWeight } from '@l2o/contracts';
import { defaultScoringRuleSet } from '../model/index.ts';
import { idealProfile, startOfTests, startScoringTestEnv } from '../scoring-test-env.fixture.ts';
import type { ScoringTestEnv } from '../scoring-test-env.fixture.ts';

describe('/v1/scoring/rules', () => {
  let env: ScoringTestEnv;

  beforeAll(async () => {
    env = await startScoringTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  const url = '/v1/scoring/rules';
  const stricter = { ...defaultScoringRuleSet, mql: { threshold: 75, revokeBelow: null } };

  it('answers the default rule set as version 1 until the tenant saves its own', async () => {
    const { apiKey } = await env.newTenant(['read_reports']);

    const response = await env.request({ url, apiKey });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ version: 1, isDefault: true, ruleSet: defaultScoringRuleSet });
  });

  it('stores each saved rule set as the next version, defaults filled in', async () => {
    const { apiKey } = await env.newTenant();
    const { weights: _weights, grades: _grades, ...withoutDefaults } = stricter;

    const first = await env.request({ method: 'PUT', url, apiKey, body: withoutDefaults });
    const second = await env.request({ method: 'PUT', url, apiKey, body: defaultScoringRuleSet });
    const current = await env.request({ url, apiKey });

    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ version: 2, isDefault: false, ruleSet: stricter, rescoreQueued: 0 });
    expect(second.json()).toMatchObject({ version: 3 });
    expect(current.json()).toEqual({
      version: 3,
      isDefault: false,
      createdAt: startOfTests.toISOString(),
      ruleSet: defaultScoringRuleSet,
    });
  });

  it("queues every active lead of the tenant, and no other tenant's, for a rescore", async () => {
    const { tenantId, apiKey } = await env.newTenant();
    const other = await env.newTenant();
    const ours = await env.captureLead({ tenantId, ...idealProfile });
    const theirs = await env.captureLead({ tenantId: other.tenantId, ...idealProfile });
    await env.applyStream(ours);
    await env.applyStream(theirs);

    const response = await env.request({ method: 'PUT', url, apiKey, body: stricter });

    expect(response.json()).toMatchObject({ rescoreQueued: 1 });
    const rows = await env.pool.query<{ lead_id: string; next_rescore_at: Date | null; rescore_trigger: string }>(
      'SELECT lead_id::text, next_rescore_at, rescore_trigger FROM scoring_leads WHERE lead_id = ANY($1) ORDER BY lead_id = $2 DESC',
      [[ours, theirs], ours],
    );
    expect(rows.rows).toEqual([
      { lead_id: ours, next_rescore_at: startOfTests, rescore_trigger: 'rules_changed' },
      { lead_id: theirs, next_rescore_at: null, rescore_trigger: 'decay' },
    ]);
  });

  it('answers 400 naming the field and the reason for an invalid rule set', async () => {
    const { apiKey } = await env.newTenant();
    const badOperator = {
      ...defaultScoringRuleSet,
      fit: { rules: [{ id: 'x', label: 'X', field: 'company.size', operator: 'around', value: 5, points: 5 }] },
    };
    const twiceTheId = {
      ...defaultScoringRuleSet,
      fit: { rules: [defaultScoringRuleSet.fit.rules[0], defaultScoringRuleSet.fit.rules[0]] },
    };
    const noWeight = { ...defaultScoringRuleSet, weights: { fit: 0, engagement: 0, predictive: 1 } };

    const responses = await Promise.all(
      [badOperator, twiceTheId, noWeight].map((body) => env.request({ method: 'PUT', url, apiKey, body })),
    );

    expect(responses.map((response) => response.statusCode)).toEqual([400, 400, 400]);
    expect(responses[0]?.json()).toMatchObject({ code: 'validation_failed', field: 'fit.rules.0.operator' });
    expect(responses[1]?.json()).toMatchObject({ field: 'fit.rules', reason: 'rule ids must be unique' });
    expect(responses[2]?.json()).toMatchObject({ field: 'weights', reason: 'fit and engagement cannot both weigh 0' });
    expect((await env.request({ url, apiKey })).json()).toMatchObject({ version: 1 });
  });

  it('stores every setting at its bound and refuses one step beyond it with 400 naming the field', async () => {
    const { apiKey } = await env.newTenant();
    const base = defaultScoringRuleSet;
    const atTheBounds = {
      ...base,
      engagement: { ...base.engagement, halfLifeDays: maxDurationDays },
      predictive: { ...base.predictive, minOutcomes: maxSettingCount, minPerClass: maxSettingCount },
      weights: { fit: maxWeight, engagement: maxWeight, predictive: maxWeight },
    };
    const beyond: Array<[string, unknown]> = [
      ['engagement.halfLifeDays', { ...base, engagement: { ...base.engagement, halfLifeDays: maxDurationDays + 1 } }],
      ['predictive.minOutcomes', { ...base, predictive: { ...base.predictive, minOutcomes: maxSettingCount + 1 } }],
      ['weights.fit', { ...base, weights: { ...base.weights, fit: maxWeight + 1 } }],
      ['weights.engagement', { ...base, weights: { ...base.weights, engagement: 1.7976931348623157e308 } }],
      // LeadQualified carries the threshold as a whole score; a fraction made every consumer refuse the event.
      ['mql.threshold', { ...base, mql: { threshold: 60.5, revokeBelow: null } }],
    ];

    const refused = await Promise.all(beyond.map(([, body]) => env.request({ method: 'PUT', url, apiKey, body })));
    const stored = await env.request({ method: 'PUT', url, apiKey, body: atTheBounds });

    expect(refused.map((response) => [response.statusCode, (response.json() as { field?: string }).field])).toEqual(
      beyond.map(([field]) => [400, field]),
    );
    expect(stored.statusCode, stored.body).toBe(200);
    expect((await env.request({ url, apiKey })).json()).toMatchObject({ version: 2, ruleSet: atTheBounds });
  });

  it('reads a rule set stored before the bounds within them, scoring the same leads alike', async () => {
    const { tenantId, apiKey } = await env.newTenant();
    const stored = {
      ...defaultScoringRuleSet,
      mql: { threshold: 60.5, revokeBelow: 40.2 },
      weights: { fit: 5000, engagement: 2500, predictive: 0 },
      predictive: { ...defaultScoringRuleSet.predictive, minOutcomes: 5_000_000 },
    };
    await env.pool.query(
      'INSERT INTO scoring_rule_sets (tenant_id, version, rule_set, created_at) VALUES ($1, 2, $2, $3)',
      [tenantId, JSON.stringify(stored), startOfTests],
    );

    const response = await env.request({ url, apiKey });

    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      version: 2,
      ruleSet: {
        mql: { threshold: 61, revokeBelow: 41 },
        weights: { fit: maxWeight, engagement: maxWeight / 2, predictive: 0 },
        predictive: { minOutcomes: maxSettingCount },
      },
    });
  });

  it('answers 403 to a PUT with a key that may only read reports', async () => {
    const { apiKey } = await env.newTenant(['read_reports']);

    const response = await env.request({ method: 'PUT', url, apiKey, body: stricter });

    expect(response.statusCode).toBe(403);
  });
});
