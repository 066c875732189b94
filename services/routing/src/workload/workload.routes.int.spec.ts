import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRoutingTestEnv, teamRouting, testRep } from '../routing-test-app.fixture.ts';
import type { RoutingTestEnv } from '../routing-test-app.fixture.ts';

describe('GET /v1/routing/workload', () => {
  let env: RoutingTestEnv;

  beforeAll(async () => {
    env = await startRoutingTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  it('shows each rep’s open leads and today’s assignments against their caps', async () => {
    const { tenantId, apiKey } = await env.newTenant();
    await env.configure(
      tenantId,
      teamRouting({ reps: [testRep('ana', { maxOpenLeads: 5, dailyQuota: 3 }), testRep('ben'), testRep('cy')] }),
    );
    const leadId = await env.captureLead({ tenantId, country: 'GB' });
    await env.qualifyLead({ tenantId, leadId });
    const consumer = env.leadConsumer();
    for (const message of await env.consumedOf(leadId)) await consumer.handle(message);

    const response = await env.request({ method: 'GET', url: '/v1/routing/workload', apiKey });

    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      asOf: env.clock().toISOString(),
      reps: [
        { repId: 'ana', name: 'Rep ana', active: true, openLeads: 1, assignedToday: 1, maxOpenLeads: 5, dailyQuota: 3 },
        { repId: 'ben', name: 'Rep ben', active: true, openLeads: 0, assignedToday: 0 },
        { repId: 'cy', name: 'Rep cy', active: true, openLeads: 0, assignedToday: 0 },
      ],
    });
  });

  it('answers 403 to a key without the read_reports scope', async () => {
    const { apiKey } = await env.newTenant(['work_leads']);
    const response = await env.request({ method: 'GET', url: '/v1/routing/workload', apiKey });

    expect(response.statusCode).toBe(403);
  });
});
