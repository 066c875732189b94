import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import type { ApiScope, ServiceServer } from '@l2o/service-kit';
import { createApiKey, createApiKeyVerifier, migrateTenancy, revokeApiKey } from '@l2o/tenancy';
import { buildApp } from '../app.ts';
import { freshProjectionsSchema } from '../projections-schema.fixture.ts';
import type { ProjectionsSchema } from '../projections-schema.fixture.ts';
import {
  applyLeadEvent,
  leadActivityRecordedEvent,
  leadCapturedEvent,
  leadProfileUpdatedEvent,
  leadsMergedEvent,
  leadTouchRecordedEvent,
} from './lead-event.fixture.ts';

describe('GET /v1/leads/:leadId', () => {
  let db: ProjectionsSchema;
  let pool: pg.Pool;
  let app: ServiceServer;

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_routes');
    await migrateTenancy({ databaseUrl: db.databaseUrl, schema: db.schema });
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 4 });
    app = await buildApp({
      pool,
      logger: createLogger({ name: 'projections', level: 'silent' }),
      verifyApiKey: createApiKeyVerifier({ pool }),
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await pool.end();
    await db.drop();
  });

  async function keyOf(tenantId: string, scopes: ApiScope[] = ['read_reports']): Promise<string> {
    return (await createApiKey({ pool, tenantId, name: 'projections-test', scopes })).apiKey;
  }

  /** A lead of a fresh tenant in the read model, and a read key of that tenant. */
  async function storedLead(options: Parameters<typeof leadCapturedEvent>[0] = {}) {
    const event = leadCapturedEvent(options);
    await applyLeadEvent({ pool, event });
    return { event, apiKey: await keyOf(event.tenantid) };
  }

  function getLead(leadId: string, apiKey?: string) {
    return app.inject({
      method: 'GET',
      url: `/v1/leads/${leadId}`,
      headers: apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` },
    });
  }

  it('answers 200 with the lead of the key’s tenant', async () => {
    const { event, apiKey } = await storedLead();

    const response = await getLead(event.subject, apiKey);

    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      leadId: event.subject,
      status: 'captured',
      mergedInto: null,
      email: 'ada@example.com',
      phone: '+442079460000',
      firstName: 'Ada',
      lastName: 'Lovelace',
      jobTitle: 'Head of Analytics',
      companyName: 'Analytical Engines Ltd',
      companyDomain: 'example.com',
      channel: 'web_form',
      source: 'website',
      campaign: 'spring-webinar',
      country: 'GB',
      industry: 'Software',
      companySize: 120,
      consentMarketing: true,
      optedOut: false,
      touchCount: 1,
      lastTouchAt: '2025-03-14T09:26:41.000Z',
      lastChannel: 'web_form',
      lastCampaign: 'spring-webinar',
      activityCount: 0,
      lastActivityAt: null,
      score: null,
      grade: null,
      scoredAt: null,
      qualifiedAt: null,
      ownerId: null,
      poolId: null,
      assignedAt: null,
      responseDueAt: null,
      respondedAt: null,
      slaBreaches: 0,
      salesQualifiedAt: null,
      convertedAt: null,
      opportunityId: null,
      disqualifiedAt: null,
      disqualificationReason: null,
      capturedAt: '2025-03-14T09:26:53.000Z',
      updatedAt: event.time,
      version: 1,
    });
  });

  it('answers the touches, activities and profile fields that came after the capture', async () => {
    const { event: captured, apiKey } = await storedLead({ data: { company: {}, consent: undefined } });
    const activity = leadActivityRecordedEvent({ lead: captured, streamversion: 4 });
    for (const event of [
      leadTouchRecordedEvent({ lead: captured, streamversion: 2 }),
      leadProfileUpdatedEvent({
        lead: captured,
        streamversion: 3,
        changes: {
          company: { name: 'Engines SA', country: 'FR', industry: 'Machinery', size: 450 },
          consent: { marketing: false, optedOut: true },
        },
      }),
      activity,
    ]) {
      await applyLeadEvent({ pool, event });
    }

    const response = await getLead(captured.subject, apiKey);

    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'captured',
      companyName: 'Engines SA',
      country: 'FR',
      industry: 'Machinery',
      companySize: 450,
      consentMarketing: false,
      optedOut: true,
      channel: 'web_form',
      touchCount: 2,
      lastTouchAt: '2025-04-02T14:04:58.000Z',
      lastChannel: 'ad',
      lastCampaign: 'q2-analytics',
      activityCount: 1,
      lastActivityAt: '2025-04-03T08:14:47.000Z',
      updatedAt: activity.time,
      version: 4,
    });
  });

  it('answers 200 for a merged lead, with status merged and the lead it was merged into', async () => {
    const { event: merged, apiKey } = await storedLead();
    const survivor = leadCapturedEvent({ tenantId: merged.tenantid });
    await applyLeadEvent({ pool, event: survivor });
    await applyLeadEvent({
      pool,
      event: leadsMergedEvent({ lead: survivor, other: merged, role: 'survivor', streamversion: 2 }),
    });
    await applyLeadEvent({
      pool,
      event: leadsMergedEvent({ lead: merged, other: survivor, role: 'merged', streamversion: 2 }),
    });

    const response = await getLead(merged.subject, apiKey);

    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      leadId: merged.subject,
      status: 'merged',
      mergedInto: survivor.subject,
      version: 2,
    });
    const followed = await getLead(survivor.subject, apiKey);
    expect(followed.json()).toMatchObject({
      leadId: survivor.subject,
      status: 'captured',
      mergedInto: null,
      version: 2,
    });
  });

  it('answers null for what the lead did not give', async () => {
    const { event, apiKey } = await storedLead({
      data: {
        contact: { phone: '+14155550123' },
        company: {},
        touchpoint: { channel: 'api', occurredAt: '2025-03-14T09:00:00Z' },
      },
    });

    const response = await getLead(event.subject, apiKey);

    expect(response.json()).toMatchObject({ email: null, phone: '+14155550123', companyName: null, source: null });
  });

  it('answers 404 not_found for a lead it does not hold', async () => {
    const leadId = randomUUID();
    const response = await getLead(leadId, await keyOf(`acme-${randomUUID()}`));

    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ status: 404, code: 'not_found', reason: `lead ${leadId} not found` });
  });

  it('answers 400 naming leadId when it is not a uuid', async () => {
    const response = await getLead('not-a-uuid', await keyOf(`acme-${randomUUID()}`));

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ status: 400, code: 'validation_failed', field: 'leadId' });
  });

  describe('tenant isolation', () => {
    it('answers tenant B’s key for tenant A’s lead exactly as for a lead that does not exist', async () => {
      const { event, apiKey: ownerKey } = await storedLead({ tenantId: `a-${randomUUID()}` });
      const otherKey = await keyOf(`b-${randomUUID()}`);
      const absentLeadId = randomUUID();

      const asOwner = await getLead(event.subject, ownerKey);
      const asOther = await getLead(event.subject, otherKey);
      const absent = await getLead(absentLeadId, otherKey);

      expect(asOwner.statusCode).toBe(200);
      expect(asOther.statusCode).toBe(404);
      expect(asOther.json()).toEqual({ status: 404, code: 'not_found', reason: `lead ${event.subject} not found` });
      expect(asOther.body.replace(event.subject, '<id>')).toBe(absent.body.replace(absentLeadId, '<id>'));
    });
  });

  describe('API keys', () => {
    it('answers 401 with the error body when no key is sent', async () => {
      const { event } = await storedLead();

      const response = await getLead(event.subject);

      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({
        status: 401,
        code: 'unauthorized',
        reason: 'an API key is required (Authorization: Bearer <key>)',
      });
    });

    it('answers 403 to a key of the lead’s own tenant without the read_reports scope', async () => {
      const { event } = await storedLead();
      const ingestOnly = await keyOf(event.tenantid, ['ingest']);

      const response = await getLead(event.subject, ingestOnly);

      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({
        status: 403,
        code: 'forbidden',
        reason: 'the API key lacks the read_reports scope',
      });
    });

    it('answers 401 to a revoked key of the lead’s tenant', async () => {
      const { event } = await storedLead();
      const { apiKey, keyId } = await createApiKey({
        pool,
        tenantId: event.tenantid,
        name: 'old',
        scopes: ['read_reports'],
      });
      await revokeApiKey({ pool, keyId });

      const response = await getLead(event.subject, apiKey);

      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ status: 401, code: 'unauthorized', reason: 'unknown API key' });
    });

    it('keeps health and documentation public', async () => {
      for (const url of ['/health', '/ready', '/docs/json']) {
        expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
      }
    });
  });

  it('documents the 200 view with an example, the key scheme and scope, and the error responses', async () => {
    const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    const operation = document.paths['/v1/leads/{leadId}'].get;
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404']));
    const view = JSON.stringify(operation.responses['200']);
    expect(view).toContain('Analytical Engines Ltd');
    expect(view).toContain('mergedInto');
    expect(view).toContain('lastChannel');
    expect(operation.parameters).not.toContainEqual(expect.objectContaining({ name: 'x-tenant-id' }));
    expect(operation.description).toContain('read_reports scope');
    expect(document.security).toEqual([{ apiKey: [] }, { apiKeyHeader: [] }]);
  });
});
