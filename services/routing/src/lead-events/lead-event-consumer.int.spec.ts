import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRoutingTestEnv, teamRouting } from '../routing-test-app.fixture.ts';
import type { RoutingTestEnv } from '../routing-test-app.fixture.ts';

describe('routing’s lead consumer', () => {
  let env: RoutingTestEnv;

  beforeAll(async () => {
    env = await startRoutingTestEnv();
    const kafka = await env.startKafka();
    await kafka.startConsumer();
  });
  afterAll(async () => {
    await env.close();
  });

  it('assigns a qualified lead from the pool of the first rule it matches, with the rule’s SLA', async () => {
    const { tenantId } = await env.newTenant();
    await env.configure(tenantId, teamRouting());
    const leadId = await env.captureLead({ tenantId, country: 'GB' });
    await env.qualifyLead({ tenantId, leadId });

    const assigned = await env.waitForEvent(leadId, 'LeadAssigned');

    expect(assigned.data).toMatchObject({
      ownerId: 'ana',
      poolId: 'uk',
      ruleId: 'uk',
      strategy: 'round_robin',
      reason: 'qualified',
      assignedAt: env.clock().toISOString(),
      responseDueAt: new Date(env.clock().getTime() + 30 * 60_000).toISOString(),
    });
  });

  it('sends a lead no rule matches to the default pool', async () => {
    const { tenantId } = await env.newTenant();
    await env.configure(tenantId, teamRouting());
    const leadId = await env.captureLead({ tenantId, country: 'US' });
    await env.qualifyLead({ tenantId, leadId });

    const assigned = await env.waitForEvent(leadId, 'LeadAssigned');

    expect(assigned.data).toMatchObject({ poolId: 'shared', strategy: 'load_balanced', reason: 'qualified' });
    expect(assigned.data).not.toHaveProperty('ruleId');
  });

  it('reassigns a rejected lead to another rep', async () => {
    const { tenantId, apiKey } = await env.newTenant();
    await env.configure(tenantId, teamRouting());
    const leadId = await env.captureLead({ tenantId, country: 'GB' });
    await env.qualifyLead({ tenantId, leadId });
    const first = await env.waitForEvent(leadId, 'LeadAssigned');

    const rejected = await env.request({
      url: `/v1/leads/${leadId}/reject`,
      apiKey,
      body: { ownerId: first.data.ownerId, reason: 'Existing customer of a partner' },
    });
    const second = await env.waitForEvent(leadId, 'LeadAssigned', 2);

    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(second.data).toMatchObject({ poolId: 'uk', reason: 'rejected' });
    expect(second.data.ownerId).not.toBe(first.data.ownerId);
  });

  it('keeps the rejecting rep’s open count down and the new owner’s up', async () => {
    const { tenantId, apiKey } = await env.newTenant();
    await env.configure(tenantId, teamRouting());
    const leadId = await env.captureLead({ tenantId, country: 'GB' });
    await env.qualifyLead({ tenantId, leadId });
    const first = await env.waitForEvent(leadId, 'LeadAssigned');
    await env.request({
      url: `/v1/leads/${leadId}/reject`,
      apiKey,
      body: { ownerId: first.data.ownerId, reason: 'Not mine' },
    });
    await env.waitForEvent(leadId, 'LeadAssigned', 2);

    const workload = await env.request({ method: 'GET', url: '/v1/routing/workload', apiKey });
    const open = (workload.json() as { reps: Array<{ repId: string; openLeads: number }> }).reps;

    expect(open).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ repId: 'ana', openLeads: 0 }),
        expect.objectContaining({ repId: 'ben', openLeads: 1 }),
      ]),
    );
  });
});
