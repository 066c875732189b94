import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpportunityTopic } from '../opportunity-view/opportunity-topic.fixture.ts';
import type { OpportunityTopic } from '../opportunity-view/opportunity-topic.fixture.ts';
import { startPipelineTestApp } from '../pipeline-test-app.fixture.ts';
import type { PipelineTestApp, TestTenant } from '../pipeline-test-app.fixture.ts';

describe('GET /v1/forecast', () => {
  let env: PipelineTestApp;
  let topic: OpportunityTopic;
  let tenant: TestTenant;

  // Hand-computed set (weighted = amount × stage probability):
  // A ines EUR 10 000    2025-05-20 qualification 10% →  1 000
  // B ines EUR 20 000    2025-05-31 proposal      50% → 10 000
  // C tom  EUR 30 000.50 2025-06-15 discovery     25% →  7 500.125
  // D tom  USD  5 000    2025-06-01 qualification 10% →    500
  // E ines EUR 99 999    2025-06-10 won: not forecast
  // F ines EUR  1 000    2025-08-01 qualification 10% →    100
  beforeAll(async () => {
    env = await startPipelineTestApp();
    topic = await startOpportunityTopic(env);
    tenant = await env.newTenant();
    const open = (terms: { amount: number; expectedCloseDate: string; ownerId?: string; currency?: string }) =>
      env.openOpportunity(tenant, terms);
    const act = (id: string, action: string, body: object) =>
      env.request({ url: `/v1/opportunities/${id}/${action}`, apiKey: tenant.apiKey, body });
    await open({ amount: 10_000, expectedCloseDate: '2025-05-20' });
    const b = await open({ amount: 20_000, expectedCloseDate: '2025-05-31' });
    await act(b, 'stage', { stageId: 'proposal', by: 'rep-ines' });
    const c = await open({ amount: 30_000.5, expectedCloseDate: '2025-06-15', ownerId: 'rep-tom' });
    await act(c, 'stage', { stageId: 'discovery', by: 'rep-tom' });
    await open({ amount: 5_000, currency: 'USD', expectedCloseDate: '2025-06-01', ownerId: 'rep-tom' });
    const e = await open({ amount: 99_999, expectedCloseDate: '2025-06-10' });
    await act(e, 'win', {});
    await open({ amount: 1_000, expectedCloseDate: '2025-08-01' });
    const events = await env.opportunityCloudEvents(tenant.tenantId);
    await topic.publish(events);
    await topic.caughtUp(env.pool, events);
  });
  afterAll(async () => {
    await topic.close();
    await env.close();
  });

  const forecast = async (query: string, apiKey = tenant.apiKey) =>
    env.request({ method: 'GET', url: `/v1/forecast?${query}`, apiKey });

  it('sums amounts and weighted amounts by close month and currency within [from, to]', async () => {
    const response = await forecast('groupBy=month&from=2025-05-01&to=2025-07-31');

    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      groupBy: 'month',
      from: '2025-05-01',
      to: '2025-07-31',
      rows: [
        { key: '2025-05', currency: 'EUR', opportunities: 2, amount: 30_000, weightedAmount: 11_000 },
        { key: '2025-06', currency: 'EUR', opportunities: 1, amount: 30_000.5, weightedAmount: 7_500.13 },
        { key: '2025-06', currency: 'USD', opportunities: 1, amount: 5_000, weightedAmount: 500 },
      ],
      totals: [
        { currency: 'EUR', opportunities: 3, amount: 60_000.5, weightedAmount: 18_500.13 },
        { currency: 'USD', opportunities: 1, amount: 5_000, weightedAmount: 500 },
      ],
    });
  });

  it('groups by owner', async () => {
    const response = await forecast('groupBy=owner');

    expect(response.json()).toMatchObject({
      rows: [
        { key: 'rep-ines', currency: 'EUR', opportunities: 3, amount: 31_000, weightedAmount: 11_100 },
        { key: 'rep-tom', currency: 'EUR', opportunities: 1, amount: 30_000.5, weightedAmount: 7_500.13 },
        { key: 'rep-tom', currency: 'USD', opportunities: 1, amount: 5_000, weightedAmount: 500 },
      ],
    });
  });

  it('groups by stage in pipeline order', async () => {
    const response = await forecast('groupBy=stage');

    expect(response.json()).toMatchObject({
      rows: [
        {
          key: 'qualification',
          label: 'Qualification',
          pipelineId: 'new-business',
          currency: 'EUR',
          opportunities: 2,
          amount: 11_000,
          weightedAmount: 1_100,
        },
        { key: 'qualification', currency: 'USD', opportunities: 1, amount: 5_000, weightedAmount: 500 },
        {
          key: 'discovery',
          label: 'Discovery',
          currency: 'EUR',
          opportunities: 1,
          amount: 30_000.5,
          weightedAmount: 7_500.13,
        },
        {
          key: 'proposal',
          label: 'Proposal',
          currency: 'EUR',
          opportunities: 1,
          amount: 20_000,
          weightedAmount: 10_000,
        },
      ],
    });
  });

  it('shows a tenant none of another tenant’s opportunities', async () => {
    const stranger = await env.newTenant(['read_reports']);

    expect((await forecast('groupBy=owner', stranger.apiKey)).json()).toEqual({
      groupBy: 'owner',
      rows: [],
      totals: [],
    });
  });

  it('answers 400 naming the field for a range that ends before it starts', async () => {
    const response = await forecast('from=2025-07-01&to=2025-06-01');

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'validation_failed', field: 'from' });
  });

  it('answers 403 to a key without read_reports', async () => {
    const worker = await env.newTenant(['work_leads']);

    expect((await forecast('groupBy=month', worker.apiKey)).statusCode).toBe(403);
  });
});
