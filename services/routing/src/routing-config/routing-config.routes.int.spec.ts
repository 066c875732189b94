import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRoutingTestEnv, teamRouting } from '../routing-test-app.fixture.ts';
import type { RoutingTestEnv } from '../routing-test-app.fixture.ts';

const rep = { name: 'Ana Lima', active: true, timezone: 'Europe/Lisbon', maxOpenLeads: 10, dailyQuota: 5 };
const pool = { name: 'EMEA', strategy: 'weighted', members: [{ repId: 'ana', weight: 2 }] };
const settings = {
  rules: [{ id: 'pt', name: 'Portugal', poolId: 'emea', conditions: { countries: ['PT'] }, responseSlaMinutes: 15 }],
  defaultPoolId: 'emea',
  sharedPoolId: 'emea',
};

describe('/v1/routing admin API', () => {
  let env: RoutingTestEnv;

  beforeAll(async () => {
    env = await startRoutingTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  it('saves reps, then pools, then settings, and reads them back', async () => {
    const { apiKey } = await env.newTenant();
    const putRep = await env.request({ method: 'PUT', url: '/v1/routing/reps/ana', apiKey, body: rep });
    const putPool = await env.request({ method: 'PUT', url: '/v1/routing/pools/emea', apiKey, body: pool });
    const putSettings = await env.request({ method: 'PUT', url: '/v1/routing/settings', apiKey, body: settings });

    const reps = await env.request({ method: 'GET', url: '/v1/routing/reps', apiKey });
    const readPool = await env.request({ method: 'GET', url: '/v1/routing/pools/emea', apiKey });
    const readSettings = await env.request({ method: 'GET', url: '/v1/routing/settings', apiKey });

    expect([putRep.statusCode, putPool.statusCode, putSettings.statusCode], putSettings.body).toEqual([200, 200, 200]);
    expect(reps.json()).toEqual({ reps: [{ id: 'ana', ...rep }] });
    expect(readPool.json()).toEqual({ id: 'emea', ...pool });
    expect(readSettings.json()).toEqual({ ...settings, defaultResponseSlaMinutes: 120, escalateAfterBreaches: 2 });
  });

  it('answers 400 naming the field when settings name a pool that does not exist', async () => {
    const { apiKey } = await env.newTenant();
    await env.request({ method: 'PUT', url: '/v1/routing/reps/ana', apiKey, body: rep });
    await env.request({ method: 'PUT', url: '/v1/routing/pools/emea', apiKey, body: pool });

    const response = await env.request({
      method: 'PUT',
      url: '/v1/routing/settings',
      apiKey,
      body: { ...settings, sharedPoolId: 'everyone' },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'validation_failed',
      field: 'sharedPoolId',
      reason: 'no pool "everyone" exists',
    });
  });

  it('answers 400 naming the member when a pool lists a rep that does not exist', async () => {
    const { apiKey } = await env.newTenant();
    const response = await env.request({ method: 'PUT', url: '/v1/routing/pools/emea', apiKey, body: pool });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ field: 'members.0.repId', reason: 'no rep "ana" exists' });
  });

  it('answers 400 naming the field for a rep the schema refuses', async () => {
    const { apiKey } = await env.newTenant();
    const response = await env.request({
      method: 'PUT',
      url: '/v1/routing/reps/ana',
      apiKey,
      body: { ...rep, timezone: '+01:00' },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'validation_failed', field: 'timezone' });
  });

  it.each([
    ['name', { ...rep, name: 'Ana\u0000Lima' }, 'name', /^contains a NUL character/],
    ['a lone surrogate in the name', { ...rep, name: 'Ana \ud800' }, 'name', /^contains a lone surrogate \\ud800/],
  ])(
    'answers 400 naming %s when it holds what PostgreSQL cannot store, and saves no rep',
    async (_c, body, field, reason) => {
      const { apiKey } = await env.newTenant();

      const response = await env.request({ method: 'PUT', url: '/v1/routing/reps/ana', apiKey, body });
      const reps = await env.request({ method: 'GET', url: '/v1/routing/reps', apiKey });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        status: 400,
        code: 'validation_failed',
        field,
        reason: expect.stringMatching(reason),
      });
      expect(reps.json()).toEqual({ reps: [] });
    },
  );

  it('answers 400 naming repId for a NUL in the path, and saves no rep', async () => {
    const { apiKey } = await env.newTenant();

    const response = await env.request({ method: 'PUT', url: '/v1/routing/reps/ana%00', apiKey, body: rep });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ field: 'repId', reason: expect.stringMatching(/NUL/) });
    expect((await env.request({ method: 'GET', url: '/v1/routing/reps', apiKey })).json()).toEqual({ reps: [] });
  });

  it('answers 400 naming the rule condition that holds a lone surrogate', async () => {
    const { apiKey } = await env.newTenant();
    const conditions = { countries: ['PT', '\udc00'] };

    const response = await env.request({
      method: 'PUT',
      url: '/v1/routing/settings',
      apiKey,
      body: { ...settings, rules: [{ ...settings.rules[0], conditions }] },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ field: 'rules.0.conditions.countries.1' });
  });

  it('refuses with 409 to delete a rep a pool still lists, and deletes it once the pool no longer does', async () => {
    const { tenantId, apiKey } = await env.newTenant();
    await env.configure(tenantId, teamRouting());

    const refused = await env.request({ method: 'DELETE', url: '/v1/routing/reps/cy', apiKey });
    await env.request({
      method: 'PUT',
      url: '/v1/routing/pools/shared',
      apiKey,
      body: { name: 'Shared', strategy: 'load_balanced', members: [{ repId: 'ana' }, { repId: 'ben' }] },
    });
    const deleted = await env.request({ method: 'DELETE', url: '/v1/routing/reps/cy', apiKey });
    const missing = await env.request({ method: 'GET', url: '/v1/routing/reps/cy', apiKey });

    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'conflict', field: 'pools.shared.members.2.repId' });
    expect(deleted.statusCode).toBe(204);
    expect(missing.statusCode).toBe(404);
  });

  it('refuses with 409 to delete a pool the settings name', async () => {
    const { tenantId, apiKey } = await env.newTenant();
    await env.configure(tenantId, teamRouting());

    const response = await env.request({ method: 'DELETE', url: '/v1/routing/pools/uk', apiKey });

    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ field: 'rules.0.poolId' });
  });

  it('never shows one tenant’s routing to another', async () => {
    const owner = await env.newTenant();
    const other = await env.newTenant();
    await env.configure(owner.tenantId, teamRouting());

    const rep = await env.request({ method: 'GET', url: '/v1/routing/reps/ana', apiKey: other.apiKey });
    const pools = await env.request({ method: 'GET', url: '/v1/routing/pools', apiKey: other.apiKey });
    const settings = await env.request({ method: 'GET', url: '/v1/routing/settings', apiKey: other.apiKey });

    expect(rep.statusCode).toBe(404);
    expect(pools.json()).toEqual({ pools: [] });
    expect(settings.statusCode).toBe(404);
  });

  it('answers 403 to a key without the administer_rules scope', async () => {
    const { apiKey } = await env.newTenant(['work_leads', 'read_reports']);
    const response = await env.request({ method: 'PUT', url: '/v1/routing/reps/ana', apiKey, body: rep });

    expect(response.statusCode).toBe(403);
  });
});
