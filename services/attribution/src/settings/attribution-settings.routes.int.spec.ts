import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAttributionTestApp } from '../attribution-test-app.fixture.ts';
import type { AttributionTestApp } from '../attribution-test-app.fixture.ts';
import { defaultAttributionConfig } from '../models/index.ts';

describe('/v1/attribution/settings', () => {
  let t: AttributionTestApp;

  beforeAll(async () => {
    t = await startAttributionTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers the defaults until the tenant saves settings', async () => {
    const { apiKey } = await t.newTenant();
    const response = await t.request({ url: '/v1/attribution/settings', apiKey });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(defaultAttributionConfig());
  });

  it('saves settings, filling the groups left out with their defaults', async () => {
    const { apiKey } = await t.newTenant();
    const body = { models: ['linear', 'time_decay'], timeDecay: { halfLifeDays: 30 } };
    const saved = await t.request({ method: 'PUT', url: '/v1/attribution/settings', apiKey, body });
    expect(saved.statusCode).toBe(200);
    const expected = { ...defaultAttributionConfig(), ...body };
    expect(saved.json()).toEqual(expected);
    expect((await t.request({ url: '/v1/attribution/settings', apiKey })).json()).toEqual(expected);
  });

  it('refuses shares that do not add up to 100, naming the group', async () => {
    const { apiKey } = await t.newTenant();
    const response = await t.request({
      method: 'PUT',
      url: '/v1/attribution/settings',
      apiKey,
      body: { positionBased: { first: 50, middle: 20, last: 40 } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'validation_failed', field: 'positionBased' });
  });

  it('keeps one tenant’s settings from another', async () => {
    const first = await t.newTenant();
    const second = await t.newTenant();
    await t.request({
      method: 'PUT',
      url: '/v1/attribution/settings',
      apiKey: first.apiKey,
      body: { models: ['linear'] },
    });
    const other = await t.request({ url: '/v1/attribution/settings', apiKey: second.apiKey });
    expect(other.json()).toEqual(defaultAttributionConfig());
  });

  it('needs the administer_rules scope', async () => {
    const { apiKey } = await t.newTenant(['read_reports']);
    expect((await t.request({ url: '/v1/attribution/settings', apiKey })).statusCode).toBe(403);
  });
});
