import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTenantRouting } from '../routing-config/routing-config.repository.ts';
import { startRoutingTestEnv, teamRouting } from '../routing-test-app.fixture.ts';
import type { RoutingTestEnv } from '../routing-test-app.fixture.ts';
import { demoRouting, installDemoRouting } from './demo-routing.ts';

describe('installDemoRouting', () => {
  let env: RoutingTestEnv;

  beforeAll(async () => {
    env = await startRoutingTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  it('installs the demo routing for a tenant without any, once', async () => {
    const { tenantId } = await env.newTenant();

    const first = await installDemoRouting({ pool: env.pool, tenantId, now: env.clock() });
    const second = await installDemoRouting({ pool: env.pool, tenantId, now: env.clock() });

    expect([first, second]).toEqual(['installed', 'already_configured']);
    const installed = await readTenantRouting(env.pool, tenantId);
    expect(installed.settings).toEqual(demoRouting.settings);
    expect(installed.reps).toEqual(expect.arrayContaining(demoRouting.reps));
    expect(installed.pools).toEqual(expect.arrayContaining(demoRouting.pools));
    expect([installed.reps.length, installed.pools.length]).toEqual([
      demoRouting.reps.length,
      demoRouting.pools.length,
    ]);
  });

  it('leaves a tenant’s own routing alone', async () => {
    const { tenantId } = await env.newTenant();
    await env.configure(tenantId, teamRouting());

    const outcome = await installDemoRouting({ pool: env.pool, tenantId, now: env.clock() });

    expect(outcome).toBe('already_configured');
    expect((await readTenantRouting(env.pool, tenantId)).reps.map((rep) => rep.id)).toEqual(['ana', 'ben', 'cy']);
  });
});
