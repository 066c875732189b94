import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onLeadEvent } from '../lead-events/on-lead-event.ts';
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
    const handle = onLeadEvent({
      pool: env.pool,
      store: env.store,
      logger: env.logger,
      clock: env.clock,
      waitingRetryMs: 60_000,
    });
    for (const event of await env.cloudEventsOf(leadId)) {
      await handle({ event, topic: 'l2o.lead.v1', partition: 0, offset: '0', key: leadId, attempt: 1 });
    }

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
