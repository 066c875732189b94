import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFieldError } from '@l2o/testing';
import { startIngestionTestApp } from './ingestion-test-app.fixture.ts';
import type { IngestionTestApp } from './ingestion-test-app.fixture.ts';

// Each body goes out as JSON, so '\u0000' and a lone '\ud800' travel as the escapes a client would send.
const nul = 'Ada\u0000';
const highSurrogate = 'Engines \ud800';
const lowSurrogate = '\udc00spring';

describe('free text PostgreSQL cannot store', () => {
  let env: IngestionTestApp;

  beforeAll(async () => {
    env = await startIngestionTestApp();
  });
  afterAll(async () => {
    await env.close();
  });

  async function expectNothingStored(tenantId: string): Promise<void> {
    expect(await env.eventsOf(tenantId)).toEqual([]);
    expect(await env.identitiesOf(tenantId)).toEqual([]);
  }

  describe('POST /v1/leads', () => {
    it.each([
      ['firstName', { firstName: nul }, 'firstName', /^contains a NUL character \(\\u0000\) at position 3/],
      ['company.name', { company: { name: highSurrogate } }, 'company.name', /^contains a lone surrogate \\ud800/],
      [
        'touchpoint.campaign',
        { touchpoint: { campaign: lowSurrogate } },
        'touchpoint.campaign',
        /\\udc00 at position 0/,
      ],
      ['a custom field value', { customFields: { notes: nul } }, 'customFields.notes', /NUL/],
      [
        'a custom field key',
        { customFields: { 'seats\u0000': 3 } },
        'customFields',
        /^key "seats\\u0000": contains a NUL/,
      ],
      ['a custom field key', { customFields: { '\ud800': 3 } }, 'customFields', /^key "\\ud800": contains a lone/],
      ['externalId.id', { externalId: { source: 'crm', id: '\udfff' } }, 'externalId.id', /lone surrogate/],
    ])('answers 400 naming %s, and stores no event and claims no key', async (_name, fields, field, reason) => {
      const { tenantId, apiKey } = await env.newTenant();

      const response = await env.request({
        method: 'POST',
        url: '/v1/leads',
        apiKey,
        body: { email: 'ada@example.com', phone: '+14155550123', ...fields },
      });

      expectFieldError(response, { field, reason, code: 'validation_failed' });
      await expectNothingStored(tenantId);
    });

    it('answers 400 naming the field of a web form post with a NUL', async () => {
      const { tenantId, apiKey } = await env.newTenant();

      const response = await env.request({
        method: 'POST',
        url: '/v1/leads',
        apiKey,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=ada%40example.com&first_name=Ada%00',
      });

      expectFieldError(response, { field: 'firstName', reason: /NUL/ });
      await expectNothingStored(tenantId);
    });

    it('captures astral characters and valid surrogate pairs as they are', async () => {
      const { tenantId, apiKey } = await env.newTenant();

      const response = await env.request({
        method: 'POST',
        url: '/v1/leads',
        apiKey,
        body: { email: 'ada@example.com', firstName: 'Ada 😀', company: { name: '\ud83d\ude80 Rockets' } },
      });

      expect(response.statusCode, response.body).toBe(201);
      const [captured] = await env.eventsOf(tenantId);
      expect(captured?.data).toMatchObject({ contact: { firstName: 'Ada 😀' }, company: { name: '🚀 Rockets' } });
    });
  });

  describe('POST /v1/leads/batch', () => {
    it('rejects the item naming its field and captures the others, claiming no key for the rejected one', async () => {
      const { tenantId, apiKey } = await env.newTenant();

      const response = await env.request({
        method: 'POST',
        url: '/v1/leads/batch',
        apiKey,
        body: {
          items: [
            { email: 'ada@example.com', lastName: 'Love\u0000lace' },
            { email: 'grace@example.org', idempotencyKey: 'k\ud800' },
            { email: 'katherine@example.com' },
          ],
        },
      });

      expect(response.statusCode, response.body).toBe(200);
      const { results } = response.json<{ results: Array<{ status: string; errors?: Array<{ field: string }> }> }>();
      expect(results.map((result) => [result.status, result.errors?.[0]?.field])).toEqual([
        ['rejected', 'lastName'],
        ['rejected', 'idempotencyKey'],
        ['accepted', undefined],
      ]);
      expect((await env.identitiesOf(tenantId)).map((identity) => identity.value)).toEqual(['katherine@example.com']);
    });
  });

  describe('POST /v1/activities', () => {
    it.each([
      ['title', { title: nul }, 'title'],
      ['a details value', { details: { asset: highSurrogate } }, 'details.asset'],
      ['a details key', { details: { ['asset\udc00']: 'x' } }, 'details'],
      ['url', { url: 'https://example.com/\u0000' }, 'url'],
      ['campaign', { campaign: lowSurrogate }, 'campaign'],
    ])('answers 400 naming %s, and appends nothing to the lead', async (_name, fields, field) => {
      const { tenantId, apiKey } = await env.newTenant();
      await env.request({ method: 'POST', url: '/v1/leads', apiKey, body: { email: 'ada@example.com' } });

      const response = await env.request({
        method: 'POST',
        url: '/v1/activities',
        apiKey,
        body: { email: 'ada@example.com', type: 'content_download', occurredAt: '2025-03-14T09:00:00Z', ...fields },
      });

      expectFieldError(response, { field, code: 'validation_failed' });
      expect((await env.eventsOf(tenantId)).map((event) => event.type)).toEqual(['LeadCaptured']);
    });
  });

  describe('POST /v1/leads/merge', () => {
    it('answers 400 naming reason, and appends nothing', async () => {
      const { tenantId, apiKey } = await env.newTenant(['ingest', 'administer_rules']);
      const leadIds: string[] = [];
      for (const email of ['ada@example.com', 'ada@example.org']) {
        const captured = await env.request({ method: 'POST', url: '/v1/leads', apiKey, body: { email } });
        leadIds.push(captured.json<{ leadId: string }>().leadId);
      }

      const response = await env.request({
        method: 'POST',
        url: '/v1/leads/merge',
        apiKey,
        body: { survivorLeadId: leadIds[0], mergedLeadId: leadIds[1], reason: nul },
      });

      expectFieldError(response, { field: 'reason' });
      expect((await env.eventsOf(tenantId)).map((event) => event.type)).toEqual(['LeadCaptured', 'LeadCaptured']);
    });
  });
});
