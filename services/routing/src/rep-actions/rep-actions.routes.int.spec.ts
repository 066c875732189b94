import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxDurationMinutes, maxSettingCount } from '@l2o/contracts';
import { startRoutingTestEnv, teamRouting } from '../routing-test-app.fixture.ts';
import type { RoutingTestEnv } from '../routing-test-app.fixture.ts';

describe('rep actions on a lead', () => {
  let env: RoutingTestEnv;

  beforeAll(async () => {
    env = await startRoutingTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  /** A qualified lead of a fresh tenant, assigned to ana by hand. */
  async function leadOfAna() {
    const tenant = await env.newTenant();
    await env.configure(tenant.tenantId, teamRouting());
    const leadId = await env.captureLead({ tenantId: tenant.tenantId, country: 'GB' });
    await env.qualifyLead({ tenantId: tenant.tenantId, leadId });
    const assigned = await env.request({
      url: `/v1/leads/${leadId}/assign`,
      apiKey: tenant.apiKey,
      body: { ownerId: 'ana', poolId: 'uk' },
    });
    if (assigned.statusCode !== 200) throw new Error(assigned.body);
    return { ...tenant, leadId };
  }

  it('assigns by hand, with the default SLA for a lead routing has not seen yet', async () => {
    const { leadId } = await leadOfAna();

    const assigned = await env.waitForEvent(leadId, 'LeadAssigned');

    expect(assigned.data).toMatchObject({
      ownerId: 'ana',
      poolId: 'uk',
      strategy: 'manual',
      reason: 'manual',
      responseDueAt: new Date(env.clock().getTime() + 60 * 60_000).toISOString(),
    });
  });

  it('assigns by hand under an SLA and caps saved before their bounds, at the longest SLA', async () => {
    const { tenantId, apiKey } = await env.newTenant();
    const team = teamRouting();
    const unbounded = Number.MAX_SAFE_INTEGER;
    await env.configure(tenantId, {
      settings: {
        ...team.settings,
        defaultResponseSlaMinutes: unbounded,
        escalateAfterBreaches: unbounded,
        rules: team.settings.rules.map((rule) => ({ ...rule, responseSlaMinutes: unbounded })),
      },
      reps: team.reps.map((rep) => ({ ...rep, maxOpenLeads: unbounded, dailyQuota: unbounded })),
      pools: team.pools,
    });
    const leadId = await env.captureLead({ tenantId, country: 'GB' });

    const assigned = await env.request({
      url: `/v1/leads/${leadId}/assign`,
      apiKey,
      body: { ownerId: 'ana', poolId: 'uk' },
    });
    const settings = await env.request({ method: 'GET', url: '/v1/routing/settings', apiKey });
    const ana = await env.request({ method: 'GET', url: '/v1/routing/reps/ana', apiKey });

    expect(assigned.statusCode, assigned.body).toBe(200);
    expect((await env.waitForEvent(leadId, 'LeadAssigned')).data).toMatchObject({
      responseDueAt: new Date(env.clock().getTime() + maxDurationMinutes * 60_000).toISOString(),
    });
    expect(settings.json()).toMatchObject({
      defaultResponseSlaMinutes: maxDurationMinutes,
      escalateAfterBreaches: maxSettingCount,
    });
    expect(ana.json()).toMatchObject({ maxOpenLeads: maxSettingCount, dailyQuota: maxSettingCount });
  });

  it('records the owner’s acceptance once', async () => {
    const { apiKey, leadId } = await leadOfAna();

    const first = await env.request({ url: `/v1/leads/${leadId}/accept`, apiKey, body: { ownerId: 'ana' } });
    const again = await env.request({ url: `/v1/leads/${leadId}/accept`, apiKey, body: { ownerId: 'ana' } });

    expect(first.json()).toEqual({ leadId, outcome: 'recorded', events: ['LeadAccepted'] });
    expect(again.json()).toEqual({ leadId, outcome: 'unchanged', events: [] });
  });

  it('records a contact with its method and note', async () => {
    const { apiKey, leadId } = await leadOfAna();

    const response = await env.request({
      url: `/v1/leads/${leadId}/contact`,
      apiKey,
      body: { ownerId: 'ana', method: 'call', note: 'Call back in May' },
    });

    expect(response.statusCode, response.body).toBe(200);
    expect((await env.waitForEvent(leadId, 'LeadContacted')).data).toMatchObject({
      method: 'call',
      note: 'Call back in May',
    });
  });

  it('answers 409 naming ownerId when another rep acts on the lead', async () => {
    const { apiKey, leadId } = await leadOfAna();

    const response = await env.request({
      url: `/v1/leads/${leadId}/reject`,
      apiKey,
      body: { ownerId: 'ben', reason: 'Not mine' },
    });

    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      status: 409,
      code: 'rule_violation',
      field: 'ownerId',
      reason: 'the lead is owned by another rep',
    });
  });

  it('disqualifies with a reason, after which the lead cannot be accepted', async () => {
    const { apiKey, leadId } = await leadOfAna();

    const disqualified = await env.request({
      url: `/v1/leads/${leadId}/disqualify`,
      apiKey,
      body: { by: 'ana', reason: 'Student project' },
    });
    const accepted = await env.request({ url: `/v1/leads/${leadId}/accept`, apiKey, body: { ownerId: 'ana' } });

    expect(disqualified.json()).toMatchObject({ outcome: 'recorded', events: ['LeadDisqualified'] });
    expect(accepted.statusCode).toBe(409);
  });

  it.each([
    ['reject', { ownerId: 'ana', reason: 'Not\u0000mine' }, 'reason'],
    ['contact', { ownerId: 'ana', method: 'call', note: 'Call \ud800back' }, 'note'],
    ['disqualify', { by: 'ana', reason: '\udc00' }, 'reason'],
  ])(
    'answers 400 naming the field of a %s whose text PostgreSQL cannot store, and appends nothing',
    async (action, body, field) => {
      const { apiKey, leadId } = await leadOfAna();
      await env.waitForEvent(leadId, 'LeadAssigned');
      const before = await env.eventsOf(leadId);

      const response = await env.request({ url: `/v1/leads/${leadId}/${action}`, apiKey, body });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ status: 400, code: 'validation_failed', field });
      expect(await env.eventsOf(leadId)).toEqual(before);
    },
  );

  it('answers 400 for a manual assignment to a rep the tenant does not have', async () => {
    const { apiKey, leadId } = await leadOfAna();

    const response = await env.request({
      url: `/v1/leads/${leadId}/assign`,
      apiKey,
      body: { ownerId: 'zoe', poolId: 'uk' },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ field: 'ownerId' });
  });

  it('answers 404 for another tenant’s lead, as for a lead that does not exist', async () => {
    const { leadId } = await leadOfAna();
    const other = await env.newTenant();

    const foreign = await env.request({
      url: `/v1/leads/${leadId}/accept`,
      apiKey: other.apiKey,
      body: { ownerId: 'ana' },
    });
    const unknown = await env.request({
      url: '/v1/leads/5f0c8a9e-1b2d-4c3e-8f4a-6b7c8d9e0f1a/accept',
      apiKey: other.apiKey,
      body: { ownerId: 'ana' },
    });

    expect(foreign.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(await env.eventsOf(leadId)).not.toContainEqual(expect.objectContaining({ type: 'LeadAccepted' }));
  });

  it('answers 403 to a key without the work_leads scope', async () => {
    const { leadId } = await leadOfAna();
    const reader = await env.newTenant(['read_reports']);

    const response = await env.request({
      url: `/v1/leads/${leadId}/accept`,
      apiKey: reader.apiKey,
      body: { ownerId: 'ana' },
    });

    expect(response.statusCode).toBe(403);
  });
});
