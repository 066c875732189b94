import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamIdFor } from '@l2o/contracts';
import { startAttributionTestApp } from '../attribution-test-app.fixture.ts';
import type { AttributionTestApp } from '../attribution-test-app.fixture.ts';
import { campaignCostsAggregateId } from './campaign-costs.decider.ts';

type CostsResponse = {
  results: Array<{ index: number; status: string; errors?: Array<{ field: string; reason: string }> }>;
  counts: { recorded: number; unchanged: number; rejected: number };
};

const cost = { campaign: 'q2-analytics', channel: 'ad', date: '2025-04-02', amount: 1250.5, currency: 'EUR' };

describe('POST /v1/campaign-costs', () => {
  let t: AttributionTestApp;

  beforeAll(async () => {
    t = await startAttributionTestApp({ now: new Date('2025-04-03T06:00:00.000Z') });
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (apiKey: string, body: unknown) =>
    t.request({ method: 'POST', url: '/v1/campaign-costs', apiKey, body });
  const costEvents = async (tenantId: string, campaign: string) =>
    t.store.readStream(streamIdFor('attribution', campaignCostsAggregateId({ tenantId, campaign })));

  it('records each cost as CampaignCostRecorded on its campaign stream', async () => {
    const { tenantId, apiKey } = await t.newTenant();
    const response = await post(apiKey, [cost, { ...cost, campaign: 'spring', channel: 'event' }]);
    expect(response.statusCode).toBe(200);
    expect(response.json<CostsResponse>().counts).toEqual({ recorded: 2, unchanged: 0, rejected: 0 });
    const [event] = await costEvents(tenantId, 'q2-analytics');
    expect(event).toMatchObject({
      type: 'CampaignCostRecorded',
      data: { ...cost, tenantId, recordedAt: '2025-04-03T06:00:00.000Z' },
      metadata: { tenantId, producer: 'attribution' },
    });
  });

  it("answers a repeated cost as unchanged and records a changed one as the day's", async () => {
    const { tenantId, apiKey } = await t.newTenant();
    await post(apiKey, [cost]);
    const again = await post(apiKey, [cost, { ...cost, date: '2025-04-03', amount: 10 }]);
    expect(again.json<CostsResponse>().results.map((result) => result.status)).toEqual(['unchanged', 'recorded']);
    const changed = await post(apiKey, [{ ...cost, amount: 99 }]);
    expect(changed.json<CostsResponse>().counts.recorded).toBe(1);
    expect((await costEvents(tenantId, 'q2-analytics')).map((event) => event.data.amount)).toEqual([1250.5, 10, 99]);
  });

  it('rejects bad items one by one with the field and reason, and records the rest', async () => {
    const { tenantId, apiKey } = await t.newTenant();
    const response = await post(apiKey, [
      { ...cost, amount: -3 },
      { ...cost, date: '2025-02-30', currency: 'eur' },
      cost,
      { ...cost, amount: 7 },
      'not a cost',
    ]);
    expect(response.statusCode).toBe(200);
    const { results, counts } = response.json<CostsResponse>();
    expect(counts).toEqual({ recorded: 1, unchanged: 0, rejected: 4 });
    expect(results[0]?.errors?.map((error) => error.field)).toEqual(['amount']);
    expect(results[1]?.errors?.map((error) => error.field).sort()).toEqual(['currency', 'date']);
    expect(results[3]).toMatchObject({
      status: 'rejected',
      errors: [{ field: 'date', reason: expect.stringMatching(/item 2/) }],
    });
    expect(results[4]?.errors?.[0]?.field).toBe('item');
    expect(await costEvents(tenantId, 'q2-analytics')).toHaveLength(1);
  });

  it('rejects a campaign PostgreSQL cannot store, naming campaign, and stores no event for it', async () => {
    const { tenantId, apiKey } = await t.newTenant();
    const response = await post(apiKey, [
      { ...cost, campaign: 'q2\u0000analytics' },
      { ...cost, campaign: 'spring \ud800' },
      { ...cost, campaign: '\udc00' },
      { ...cost, campaign: 'launch 🚀' },
    ]);

    expect(response.statusCode).toBe(200);
    const { results, counts } = response.json<CostsResponse>();
    expect(counts).toEqual({ recorded: 1, unchanged: 0, rejected: 3 });
    expect(results.slice(0, 3).map((result) => result.errors)).toEqual([
      [{ field: 'campaign', reason: expect.stringMatching(/^contains a NUL character/) }],
      [{ field: 'campaign', reason: expect.stringMatching(/^contains a lone surrogate \\ud800/) }],
      [{ field: 'campaign', reason: expect.stringMatching(/^contains a lone surrogate \\udc00/) }],
    ]);
    const stored = await t.pool.query<{ campaign: string }>(
      "SELECT data->>'campaign' AS campaign FROM events WHERE metadata->>'tenantId' = $1",
      [tenantId],
    );
    expect(stored.rows).toEqual([{ campaign: 'launch 🚀' }]);
  });

  it.each([
    ['an object', { items: [cost] }],
    ['an empty list', []],
    ['more than 5,000 costs', Array.from({ length: 5001 }, () => cost)],
  ])('refuses %s with a 400', async (_, body) => {
    const { apiKey } = await t.newTenant();
    const response = await post(apiKey, body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'validation_failed' });
  });

  it('needs the administer_rules scope', async () => {
    const { apiKey } = await t.newTenant(['read_reports']);
    expect((await post(apiKey, [cost])).statusCode).toBe(403);
  });
});
