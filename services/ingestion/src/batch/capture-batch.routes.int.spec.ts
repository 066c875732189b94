import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFieldError } from '@l2o/testing';
import { startIngestionTestApp } from '../ingestion-test-app.fixture.ts';
import type { IngestionTestApp } from '../ingestion-test-app.fixture.ts';

type BatchResponse = {
  results: Array<{ index: number; status: string; leadId?: string; matchedBy?: string; errors?: unknown[] }>;
  counts: Record<string, number>;
};

describe('POST /v1/leads/batch', () => {
  let env: IngestionTestApp;

  beforeAll(async () => {
    env = await startIngestionTestApp();
  });
  afterAll(async () => {
    await env.close();
  });

  it('answers a result per item: accepted, merged, duplicate and rejected with field and reason', async () => {
    const { tenantId, apiKey } = await env.newTenant();
    const known = await env.request({ url: '/v1/leads', apiKey, body: { email: 'known@example.com' } });
    const knownLeadId = known.json<{ leadId: string }>().leadId;

    const response = await env.request({
      url: '/v1/leads/batch',
      apiKey,
      body: {
        items: [
          { email: 'ada@example.com', firstName: 'Ada' },
          { email: 'KNOWN@example.com', jobTitle: 'CFO' },
          { email: 'not-an-email' },
          'not an object',
          { phone: '+14155550123', externalId: { source: 'crm', id: '9' } },
          { phone: '+1 415 555 0123', externalId: { source: 'crm', id: '9' } },
          { email: 'grace@example.org', idempotencyKey: '' },
        ],
      },
    });

    expect(response.statusCode, response.body).toBe(200);
    const { results, counts } = response.json<BatchResponse>();
    expect(results).toEqual([
      { index: 0, status: 'accepted', leadId: expect.any(String) },
      { index: 1, status: 'merged', leadId: knownLeadId, matchedBy: 'email' },
      { index: 2, status: 'rejected', errors: [{ field: 'email', reason: expect.any(String) }] },
      { index: 3, status: 'rejected', errors: [{ field: 'body', reason: expect.any(String) }] },
      { index: 4, status: expect.stringMatching(/^(accepted|duplicate)$/), leadId: expect.any(String) },
      { index: 5, status: expect.stringMatching(/^(accepted|duplicate)$/), leadId: expect.any(String) },
      { index: 6, status: 'rejected', errors: [{ field: 'idempotencyKey', reason: expect.any(String) }] },
    ]);
    // Items 4 and 5 are one capture (same source external id), whichever ran first.
    expect(results[4]?.leadId).toBe(results[5]?.leadId);
    expect([results[4]?.status, results[5]?.status].sort()).toEqual(['accepted', 'duplicate']);
    expect(counts).toEqual({ accepted: 2, merged: 1, duplicate: 1, rejected: 3 });
    const types = (await env.eventsOf(tenantId)).map((event) => event.type);
    expect(types.sort()).toEqual(
      ['LeadCaptured', 'LeadCaptured', 'LeadCaptured', 'LeadTouchRecorded', 'LeadProfileUpdated'].sort(),
    );
  });

  it('makes a retried item a duplicate through its idempotencyKey', async () => {
    const { tenantId, apiKey } = await env.newTenant();
    const body = { items: [{ email: 'ada@example.com', idempotencyKey: 'row-1' }] };
    const first = await env.request({ url: '/v1/leads/batch', apiKey, body });
    const retry = await env.request({ url: '/v1/leads/batch', apiKey, body });

    const firstResult = first.json<BatchResponse>().results[0];
    expect(firstResult?.status).toBe('accepted');
    expect(retry.json<BatchResponse>().results[0]).toEqual({
      index: 0,
      status: 'duplicate',
      leadId: firstResult?.leadId,
    });
    expect(await env.eventsOf(tenantId)).toHaveLength(1);
  });

  it('captures 1,000 items and answers 400 to 1,001 or to a body without items', async () => {
    const { tenantId, apiKey } = await env.newTenant();
    const items = Array.from({ length: 1001 }, (_, index) => ({ email: `lead-${index}@example.com` }));

    const full = await env.request({ url: '/v1/leads/batch', apiKey, body: { items: items.slice(0, 1000) } });
    const tooMany = await env.request({ url: '/v1/leads/batch', apiKey, body: { items } });
    const empty = await env.request({ url: '/v1/leads/batch', apiKey, body: { items: [] } });
    const notABatch = await env.request({ url: '/v1/leads/batch', apiKey, body: { email: 'ada@example.com' } });

    expect(full.statusCode).toBe(200);
    expect(full.json<BatchResponse>().counts).toEqual({ accepted: 1000, merged: 0, duplicate: 0, rejected: 0 });
    expect(await env.eventsOf(tenantId)).toHaveLength(1000);
    for (const response of [tooMany, empty, notABatch]) {
      expectFieldError(response, { field: 'items', code: 'validation_failed' });
    }
  });

  it('documents the item shape and an example request and response', async () => {
    const document = (await env.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const operation = document.paths['/v1/leads/batch'].post;
    const body = operation.requestBody.content['application/json'];

    expect(body.schema.properties.items.items.properties.email).toMatchObject({ type: 'string' });
    expect(body.schema.properties.items.items.properties.idempotencyKey).toMatchObject({ type: 'string' });
    expect(JSON.stringify(body)).toContain('grace@example.org');
    expect(JSON.stringify(operation.responses['200'])).toContain('rejected');
  });
});
