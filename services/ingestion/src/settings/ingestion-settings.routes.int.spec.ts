import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFieldError } from '@l2o/testing';
import { startIngestionTestApp } from '../ingestion-test-app.fixture.ts';
import type { IngestionTestApp } from '../ingestion-test-app.fixture.ts';

describe('/v1/settings/ingestion', () => {
  let env: IngestionTestApp;

  beforeAll(async () => {
    env = await startIngestionTestApp();
  });
  afterAll(async () => {
    await env.close();
  });

  const url = '/v1/settings/ingestion';

  it('answers the defaults until the tenant saves its own', async () => {
    const { apiKey } = await env.newTenant(['administer_rules']);
    const response = await env.request({ method: 'GET', url, apiKey });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ matchRules: ['email', 'phone', 'external_id', 'domain_and_name'] });
  });

  it('saves the default country (as its code) and the ordered match rules, which captures then use', async () => {
    const { apiKey } = await env.newTenant(['administer_rules', 'ingest']);
    const put = await env.request({
      method: 'PUT',
      url,
      apiKey,
      body: { defaultCountry: 'Germany', matchRules: ['phone', 'email'] },
    });
    const get = await env.request({ method: 'GET', url, apiKey });
    const first = await env.request({
      url: '/v1/leads',
      apiKey,
      body: { phone: '030 1234567', email: 'a@example.com' },
    });
    const second = await env.request({ url: '/v1/leads', apiKey, body: { phone: '+49 30 1234567' } });

    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual({ defaultCountry: 'DE', matchRules: ['phone', 'email'] });
    expect(get.json()).toEqual({ defaultCountry: 'DE', matchRules: ['phone', 'email'] });
    expect(first.statusCode, first.body).toBe(201);
    expect(second.json()).toMatchObject({ status: 'merged', matchedBy: 'phone' });
  });

  it('answers 400 naming the field for an unknown rule, a rule listed twice or an unknown country', async () => {
    const { apiKey } = await env.newTenant(['administer_rules']);
    const unknownRule = await env.request({ method: 'PUT', url, apiKey, body: { matchRules: ['email', 'fax'] } });
    const twice = await env.request({ method: 'PUT', url, apiKey, body: { matchRules: ['email', 'email'] } });
    const country = await env.request({
      method: 'PUT',
      url,
      apiKey,
      body: { defaultCountry: 'Atlantis', matchRules: [] },
    });

    expectFieldError(unknownRule, { field: 'matchRules.1' });
    expectFieldError(twice, { field: 'matchRules', reason: 'a rule is listed twice' });
    expectFieldError(country, { field: 'defaultCountry' });
  });

  it('answers 403 to a key without the administer_rules scope', async () => {
    const { apiKey } = await env.newTenant(['ingest']);
    const response = await env.request({ method: 'PUT', url, apiKey, body: { matchRules: [] } });

    expect(response.statusCode).toBe(403);
  });
});
