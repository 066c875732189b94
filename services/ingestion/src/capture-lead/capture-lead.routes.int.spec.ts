import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadCapturedV1Schema, streamIdFor } from '@l2o/contracts';
import { createPostgresEventStore, migrateEventStore } from '@l2o/event-store';
import type { PostgresEventStore } from '@l2o/event-store';
import { createPool, migrateModules } from '@l2o/pg';
import { createLogger, startTelemetry } from '@l2o/service-kit';
import type { ApiScope, ServiceServer } from '@l2o/service-kit';
import { createApiKey, createApiKeyVerifier, migrateTenancy, revokeApiKey } from '@l2o/tenancy';
import { expectFieldError, freshSchema } from '@l2o/testing';
import { buildApp } from '../app.ts';
import { migrateIngestion } from '../migrate-ingestion.ts';

const now = new Date('2025-03-14T09:26:53.000Z');
const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('POST /v1/leads', () => {
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  let app: ServiceServer;

  // As in main.ts: trace context propagation is registered before the app is built.
  const telemetry = startTelemetry({ serviceName: 'ingestion-test', env: {} });

  beforeAll(async () => {
    db = await freshSchema('ingestion');
    await migrateModules({
      databaseUrl: db.databaseUrl,
      schema: db.schema,
      modules: [migrateEventStore, migrateTenancy, migrateIngestion],
    });
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 4 });
    store = createPostgresEventStore({ pool, schema: db.schema });
    app = await buildApp({
      pool,
      store,
      logger: createLogger({ name: 'ingestion', level: 'silent' }),
      clock: () => now,
      verifyApiKey: createApiKeyVerifier({ pool }),
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await pool.end();
    await db.drop();
    await telemetry.shutdown();
  });

  /** A fresh tenant with a key of `scopes`; each test uses its own, so its events are its alone. */
  async function newTenant(
    scopes: ApiScope[] = ['ingest'],
  ): Promise<{ tenantId: string; apiKey: string; keyId: string }> {
    const tenantId = `acme-${randomUUID()}`;
    const { apiKey, keyId } = await createApiKey({ pool, tenantId, name: 'ingestion-test', scopes });
    return { tenantId, apiKey, keyId };
  }

  async function allEvents(): Promise<number> {
    const result = await pool.query<{ count: number }>('SELECT count(*)::int AS count FROM events');
    return result.rows[0]?.count ?? -1;
  }

  /** Every event stored for a tenant; each test uses its own tenant, so zero means this request wrote nothing. */
  async function eventsOfTenant(tenantId: string): Promise<number> {
    const result = await pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM events WHERE metadata->>'tenantId' = $1`,
      [tenantId],
    );
    return result.rows[0]?.count ?? -1;
  }

  function post(options: { apiKey?: string; body: unknown; headers?: Record<string, string> }) {
    return app.inject({
      method: 'POST',
      url: '/v1/leads',
      headers: { ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}), ...options.headers },
      payload: options.body as Record<string, unknown>,
    });
  }

  describe('with a valid lead', () => {
    it('answers 201 with the lead id and stores LeadCaptured for the key’s tenant with its metadata', async () => {
      const { tenantId, apiKey } = await newTenant();
      const response = await post({
        apiKey,
        headers: { 'x-request-id': 'req-capture-1', traceparent },
        body: {
          email: '  Ada.Lovelace@Example.COM ',
          firstName: ' Ada ',
          lastName: 'Lovelace',
          jobTitle: 'Head of Analytics',
          company: { name: 'Analytical Engines Ltd', domain: 'example.com', size: 120, country: 'GB' },
          consent: { marketing: true, optedOut: false },
          touchpoint: { channel: 'web_form', source: 'website', utm: { campaign: 'spring-webinar' } },
          externalId: { source: 'hubspot', id: '51234' },
          customFields: { seats: 25 },
        },
      });

      expect(response.statusCode, response.body).toBe(201);
      const { leadId, status } = response.json<{ leadId: string; status: string }>();
      expect(status).toBe('captured');
      const stored = await store.readStream(streamIdFor('lead', leadId));
      expect(stored).toHaveLength(1);
      const [event] = stored;
      expect(event).toMatchObject({ type: 'LeadCaptured', schemaVersion: 1, streamVersion: 1 });
      expect(event?.data).toEqual({
        leadId,
        tenantId,
        capturedAt: now.toISOString(),
        contact: {
          email: 'ada.lovelace@example.com',
          firstName: 'Ada',
          lastName: 'Lovelace',
          jobTitle: 'Head of Analytics',
        },
        company: { name: 'Analytical Engines Ltd', domain: 'example.com', size: 120, country: 'GB' },
        consent: { marketing: true, optedOut: false },
        touchpoint: {
          channel: 'web_form',
          source: 'website',
          campaign: 'spring-webinar',
          utm: { campaign: 'spring-webinar' },
          occurredAt: now.toISOString(),
        },
        externalIds: [{ source: 'hubspot', id: '51234' }],
        customFields: { seats: 25 },
        captureId: 'external:hubspot:51234',
      });
      expect(leadCapturedV1Schema.safeParse(event?.data).success).toBe(true);
      expect(event?.metadata).toEqual({ tenantId, producer: 'ingestion', correlationId: 'req-capture-1', traceparent });
    });

    it('captures a lead reachable by phone only, from the api channel by default, with the key in x-api-key', async () => {
      const { tenantId, apiKey } = await newTenant();
      const response = await post({ headers: { 'x-api-key': apiKey }, body: { phone: '+14155550123' } });

      expect(response.statusCode, response.body).toBe(201);
      const [event] = await store.readStream(streamIdFor('lead', response.json<{ leadId: string }>().leadId));
      expect(event?.data).toMatchObject({
        contact: { phone: '+14155550123' },
        company: {},
        touchpoint: { channel: 'api', occurredAt: now.toISOString() },
      });
      expect(event?.metadata).toEqual({ tenantId, producer: 'ingestion', correlationId: expect.any(String) });
    });
  });

  describe('with a request it refuses', () => {
    it('answers 400 naming email when the email is malformed, and stores nothing', async () => {
      const { tenantId, apiKey } = await newTenant();
      const response = await post({ apiKey, body: { email: 'ada-at-example.com', firstName: 'Ada' } });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        status: 400,
        code: 'validation_failed',
        field: 'email',
        reason: 'is not an email address: it needs a part before the @ and a domain after it',
        errors: [
          { field: 'email', reason: 'is not an email address: it needs a part before the @ and a domain after it' },
        ],
      });
      expect(await eventsOfTenant(tenantId)).toBe(0);
    });

    it('answers 400 naming email when neither email nor phone is given, and stores nothing', async () => {
      const { tenantId, apiKey } = await newTenant();
      const response = await post({ apiKey, body: { firstName: 'Ada', company: { name: 'Engines' } } });

      expectFieldError(response, {
        field: 'email',
        reason: 'an email or a phone is required',
        code: 'validation_failed',
      });
      expect(await eventsOfTenant(tenantId)).toBe(0);
    });

    it('answers 409 naming the field when the Lead refuses the capture, and stores nothing', async () => {
      const { tenantId, apiKey } = await newTenant();
      const response = await post({
        apiKey,
        body: { email: 'ada@example.com', consent: { marketing: true, optedOut: true } },
      });

      expectFieldError(response, { status: 409, field: 'consent.marketing', code: 'rule_violation' });
      expect(await eventsOfTenant(tenantId)).toBe(0);
    });
  });

  describe('API keys', () => {
    it('takes the tenant from the key, never from a header or the body', async () => {
      const { tenantId, apiKey } = await newTenant();
      const otherTenant = `other-${randomUUID()}`;
      const response = await post({
        apiKey,
        headers: { 'x-tenant-id': otherTenant },
        body: { email: 'ada@example.com', tenantId: otherTenant },
      });

      expect(response.statusCode, response.body).toBe(201);
      const [event] = await store.readStream(streamIdFor('lead', response.json<{ leadId: string }>().leadId));
      expect(event?.data).toMatchObject({ tenantId });
      expect(event?.metadata).toMatchObject({ tenantId });
      expect(await eventsOfTenant(otherTenant)).toBe(0);
    });

    it('answers 401 with the error body when no key is sent, and stores nothing', async () => {
      const before = await allEvents();
      const response = await post({ body: { email: 'ada@example.com' } });

      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({
        status: 401,
        code: 'unauthorized',
        reason: 'an API key is required (Authorization: Bearer <key>)',
      });
      expect(await allEvents()).toBe(before);
    });

    it('answers 401 to a key with a wrong secret before looking at the body', async () => {
      const { apiKey } = await newTenant();
      const forged = `${apiKey.slice(0, -3)}${apiKey.endsWith('AAA') ? 'BBB' : 'AAA'}`;
      const response = await post({ apiKey: forged, body: { email: 'not-an-email' } });

      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ status: 401, code: 'unauthorized', reason: 'unknown API key' });
    });

    it('answers 403 to a key without the ingest scope, and stores nothing', async () => {
      const { tenantId, apiKey } = await newTenant(['read_reports']);
      const response = await post({ apiKey, body: { email: 'ada@example.com' } });

      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({
        status: 403,
        code: 'forbidden',
        reason: 'the API key lacks the ingest scope',
      });
      expect(await eventsOfTenant(tenantId)).toBe(0);
    });

    it('answers 401 to a revoked key, and stores nothing', async () => {
      const { tenantId, apiKey, keyId } = await newTenant();
      await revokeApiKey({ pool, keyId });
      const response = await post({ apiKey, body: { email: 'ada@example.com' } });

      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ status: 401, code: 'unauthorized' });
      expect(await eventsOfTenant(tenantId)).toBe(0);
    });
  });

  describe('OpenAPI document', () => {
    it('documents the body, the key scheme and scope, the 201 and the error responses with examples', async () => {
      const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
      const operation = document.paths['/v1/leads'].post;
      expect(operation.parameters ?? []).not.toContainEqual(expect.objectContaining({ name: 'x-tenant-id' }));
      expect(document.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(document.security).toEqual([{ apiKey: [] }, { apiKeyHeader: [] }]);
      expect(operation.description).toContain('ingest scope');
      const body = operation.requestBody.content['application/json'];
      expect(body.schema.properties.email).toMatchObject({ type: 'string', maxLength: 254 });
      expect(JSON.stringify(body)).toContain('Analytical Engines Ltd');
      expect(Object.keys(operation.responses)).toEqual(
        expect.arrayContaining(['200', '201', '400', '401', '403', '409', '422']),
      );
      expect(JSON.stringify(operation.responses['201'])).toContain('0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b');
    });
  });
});
