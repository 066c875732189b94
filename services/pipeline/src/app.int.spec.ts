import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipelineTestApp } from './pipeline-test-app.fixture.ts';
import type { PipelineTestApp } from './pipeline-test-app.fixture.ts';

describe('pipeline app', () => {
  let env: PipelineTestApp;

  beforeAll(async () => {
    env = await startPipelineTestApp();
  });
  afterAll(async () => {
    await env.close();
  });

  it('documents every route in its OpenAPI document', async () => {
    const response = await env.app.inject({ method: 'GET', url: '/docs/json' });

    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.json<{ paths: Record<string, unknown> }>().paths).sort()).toEqual([
      '/health',
      '/ready',
      '/v1/forecast',
      '/v1/leads/{leadId}/convert',
      '/v1/leads/{leadId}/sales-qualify',
      '/v1/opportunities/{id}',
      '/v1/opportunities/{id}/amount',
      '/v1/opportunities/{id}/close-date',
      '/v1/opportunities/{id}/details',
      '/v1/opportunities/{id}/lose',
      '/v1/opportunities/{id}/reopen',
      '/v1/opportunities/{id}/stage',
      '/v1/opportunities/{id}/win',
      '/v1/pipeline/settings',
    ]);
  });

  it('answers 401 without an API key', async () => {
    const response = await env.app.inject({ method: 'GET', url: '/v1/forecast' });

    expect(response.statusCode).toBe(401);
  });
});
