import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFieldError } from '@l2o/testing';
import { startIngestionTestApp } from '../ingestion-test-app.fixture.ts';
import type { IngestionTestApp } from '../ingestion-test-app.fixture.ts';

describe('POST /v1/leads', () => {
  let env: IngestionTestApp;

  beforeAll(async () => {
    env = await startIngestionTestApp({ poolSize: 10 });
  });
  afterAll(async () => {
    await env.close();
  });

  describe('with a person already known', () => {
    it('answers 200 merged with the lead and the rule that matched, then 200 duplicate for a repeated external id', async () => {
      const { tenantId, apiKey } = await env.newTenant();
      const first = await env.request({ url: '/v1/leads', apiKey, body: { email: 'ada@example.com' } });
      const { leadId } = first.json<{ leadId: string }>();
      const merged = await env.request({
        url: '/v1/leads',
        apiKey,
        body: { email: 'ADA@example.com', externalId: { source: 'hubspot', id: '7' } },
      });
      const duplicate = await env.request({
        url: '/v1/leads',
        apiKey,
        body: { email: 'ADA@example.com', externalId: { source: 'hubspot', id: '7' } },
      });

      expect(first.statusCode).toBe(201);
      expect(merged.statusCode, merged.body).toBe(200);
      expect(merged.json()).toEqual({ leadId, status: 'merged', matchedBy: 'email' });
      expect(duplicate.statusCode).toBe(200);
      expect(duplicate.json()).toEqual({ leadId, status: 'duplicate' });
      expect((await env.eventsOf(tenantId)).map((event) => event.type)).toEqual([
        'LeadCaptured',
        'LeadTouchRecorded',
        'LeadProfileUpdated',
      ]);
    });
  });

  describe('from a web form', () => {
    it('maps the flat fields, the UTM parameters and the Referer onto a web_form capture', async () => {
      const { tenantId, apiKey } = await env.newTenant();
      const form = new URLSearchParams({
        email: 'Grace@Example.org',
        first_name: 'Grace',
        last_name: 'Hopper',
        company: 'Navy',
        website: 'navy.example.org',
        country: 'us',
        marketing_consent: 'on',
        utm_source: 'newsletter',
        utm_medium: 'email',
        utm_campaign: 'cobol-day',
        utm_term: 'compilers',
        utm_content: 'banner',
        unrelated: 'ignored',
        phone: '',
      });
      const response = await env.request({
        url: '/v1/leads',
        apiKey,
        body: form.toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
          referer: 'https://example.org/landing?utm_source=newsletter',
        },
      });

      expect(response.statusCode, response.body).toBe(201);
      const [event] = await env.eventsOf(tenantId);
      expect(event?.data).toMatchObject({
        contact: { email: 'grace@example.org', firstName: 'Grace', lastName: 'Hopper' },
        company: { name: 'Navy', website: 'https://navy.example.org/', domain: 'navy.example.org', country: 'US' },
        consent: { marketing: true, optedOut: false },
        touchpoint: {
          channel: 'web_form',
          source: 'newsletter',
          medium: 'email',
          campaign: 'cobol-day',
          utm: { source: 'newsletter', medium: 'email', campaign: 'cobol-day', term: 'compilers', content: 'banner' },
          referrer: 'https://example.org/landing?utm_source=newsletter',
          occurredAt: env.now.toISOString(),
        },
      });
      expect(JSON.stringify(event?.data)).not.toContain('ignored');
    });

    it('takes the referrer field before the Referer header, which then names the page', async () => {
      const { tenantId, apiKey } = await env.newTenant();
      const response = await env.request({
        url: '/v1/leads',
        apiKey,
        body: 'email=ada%40example.com&referrer=https%3A%2F%2Fwww.google.com%2F&source=website',
        headers: { 'content-type': 'application/x-www-form-urlencoded', referer: 'https://example.com/demo' },
      });

      expect(response.statusCode, response.body).toBe(201);
      const [event] = await env.eventsOf(tenantId);
      expect(event?.data).toMatchObject({
        touchpoint: { channel: 'web_form', source: 'website', referrer: 'https://www.google.com/' },
        customFields: { pageUrl: 'https://example.com/demo' },
      });
    });

    it('answers 400 naming the form field that cannot be normalized', async () => {
      const { tenantId, apiKey } = await env.newTenant();
      const response = await env.request({
        url: '/v1/leads',
        apiKey,
        body: 'email=ada%40example.com&country=Atlantis',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });

      expectFieldError(response, { field: 'company.country', code: 'validation_failed' });
      expect(await env.eventsOf(tenantId)).toEqual([]);
    });
  });

  describe('with an Idempotency-Key', () => {
    it('replays the first response to a retry and stores one event', async () => {
      const { tenantId, apiKey } = await env.newTenant();
      const send = () =>
        env.request({
          url: '/v1/leads',
          apiKey,
          body: { email: 'ada@example.com', firstName: 'Ada' },
          headers: { 'idempotency-key': 'order-form-42' },
        });
      const first = await send();
      const retry = await send();

      expect(first.statusCode).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(retry.statusCode).toBe(201);
      expect(retry.json()).toEqual(first.json());
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(await env.eventsOf(tenantId)).toHaveLength(1);
    });

    it('replays a rejection too', async () => {
      const { apiKey } = await env.newTenant();
      const send = () =>
        env.request({ url: '/v1/leads', apiKey, body: { phone: '12' }, headers: { 'idempotency-key': 'bad-1' } });
      const first = await send();
      const retry = await send();

      expect(first.statusCode).toBe(400);
      expect(retry.statusCode).toBe(400);
      expect(retry.json()).toEqual(first.json());
    });

    it('answers 422 naming Idempotency-Key when the key is reused for another body', async () => {
      const { tenantId, apiKey } = await env.newTenant();
      const headers = { 'idempotency-key': 'reused' };
      await env.request({ url: '/v1/leads', apiKey, body: { email: 'ada@example.com' }, headers });
      const other = await env.request({ url: '/v1/leads', apiKey, body: { email: 'grace@example.org' }, headers });

      expectFieldError(other, { status: 422, field: 'Idempotency-Key' });
      expect(await env.eventsOf(tenantId)).toHaveLength(1);
    });

    it('answers 409 "retry later" while a request with the same key is still running', async () => {
      const { tenantId, apiKey } = await env.newTenant();
      const body = { email: 'ada@example.com' };
      const { requestHash } = await import('./idempotency-keys.ts');
      await env.pool.query(
        `INSERT INTO idempotency_keys (tenant_id, key, request_hash, status, created_at) VALUES ($1, 'running', $2, 'in_progress', $3)`,
        [tenantId, requestHash(body), env.now],
      );
      const response = await env.request({ url: '/v1/leads', apiKey, body, headers: { 'idempotency-key': 'running' } });

      expectFieldError(response, { status: 409, field: 'Idempotency-Key', reason: /retry later/ });
      expect(response.headers['retry-after']).toBe('1');
      expect(await env.eventsOf(tenantId)).toEqual([]);
    });

    it('keeps keys of one tenant apart from another’s', async () => {
      const first = await env.newTenant();
      const second = await env.newTenant();
      const headers = { 'idempotency-key': 'shared-key' };
      const a = await env.request({
        url: '/v1/leads',
        apiKey: first.apiKey,
        body: { email: 'a@example.com' },
        headers,
      });
      const b = await env.request({
        url: '/v1/leads',
        apiKey: second.apiKey,
        body: { email: 'b@example.com' },
        headers,
      });

      expect(a.statusCode).toBe(201);
      expect(b.statusCode).toBe(201);
      expect(b.json()).not.toEqual(a.json());
    });
  });

  describe('with 50 concurrent posts of one email', () => {
    it('stores one LeadCaptured, 49 LeadTouchRecorded and one identity', async () => {
      const { tenantId, apiKey } = await env.newTenant();
      const responses = await Promise.all(
        Array.from({ length: 50 }, () =>
          env.request({
            url: '/v1/leads',
            apiKey,
            body: { email: 'rush@example.com', touchpoint: { source: 'launch' } },
          }),
        ),
      );

      expect(responses.filter((response) => response.statusCode === 201)).toHaveLength(1);
      expect(responses.filter((response) => response.statusCode === 200)).toHaveLength(49);
      expect(new Set(responses.map((response) => response.json<{ leadId: string }>().leadId)).size).toBe(1);
      const types = (await env.eventsOf(tenantId)).map((event) => event.type);
      expect(types.filter((type) => type === 'LeadCaptured')).toHaveLength(1);
      expect(types.filter((type) => type === 'LeadTouchRecorded')).toHaveLength(49);
      expect(types).toHaveLength(50);
      expect(await env.identitiesOf(tenantId)).toHaveLength(1);
    });
  });

  describe('OpenAPI document', () => {
    it('documents the merged and duplicate answers, the Idempotency-Key header and the web form fields', async () => {
      const document = (await env.app.inject({ method: 'GET', url: '/docs/json' })).json();
      const operation = document.paths['/v1/leads'].post;

      expect(operation.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'idempotency-key' }));
      expect(operation.description).toContain('application/x-www-form-urlencoded');
      expect(operation.description).toContain('utm_source');
      expect(JSON.stringify(operation.responses['200'])).toContain('duplicate');
      expect(JSON.stringify(operation.responses['400'])).toContain('is too short for GB');
    });
  });
});
