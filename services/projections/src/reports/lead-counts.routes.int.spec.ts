import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadChannel } from '@l2o/contracts';
import { createPool } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import type { ServiceServer } from '@l2o/service-kit';
import { createApiKey, createApiKeyVerifier, migrateTenancy } from '@l2o/tenancy';
import { buildApp } from '../app.ts';
import { applyLeadEvent, leadCapturedEvent, leadsMergedEvent } from '../leads/lead-event.fixture.ts';
import { freshProjectionsSchema } from '../projections-schema.fixture.ts';
import type { ProjectionsSchema } from '../projections-schema.fixture.ts';

describe('GET /v1/reports/lead-counts', () => {
  const tenantId = `acme-${randomUUID()}`;
  let db: ProjectionsSchema;
  let pool: pg.Pool;
  let app: ServiceServer;
  let apiKey: string;

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_counts');
    await migrateTenancy({ databaseUrl: db.databaseUrl, schema: db.schema });
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 4 });
    app = await buildApp({
      pool,
      logger: createLogger({ name: 'projections', level: 'silent' }),
      verifyApiKey: createApiKeyVerifier({ pool }),
    });
    await app.ready();
    apiKey = (await createApiKey({ pool, tenantId, name: 'counts-test', scopes: ['read_reports'] })).apiKey;
    const capture = async (channel: LeadChannel, capturedAt: string, tenant = tenantId) => {
      const event = leadCapturedEvent({
        tenantId: tenant,
        data: { capturedAt, touchpoint: { channel, occurredAt: capturedAt } },
      });
      await applyLeadEvent({ pool, event });
      return event;
    };
    await capture('ad', '2025-03-10T08:00:00Z');
    await capture('ad', '2025-03-10T23:59:59Z');
    await capture('web_form', '2025-03-10T12:00:00Z');
    await capture('web_form', '2025-03-11T00:00:00Z');
    const merged = await capture('web_form', '2025-03-11T10:00:00Z');
    const survivor = await capture('partner', '2025-03-12T10:00:00Z');
    await applyLeadEvent({
      pool,
      event: leadsMergedEvent({ lead: merged, other: survivor, role: 'merged', streamversion: 2 }),
    });
    await capture('ad', '2025-03-10T09:00:00Z', `other-${randomUUID()}`);
  });
  afterAll(async () => {
    await app?.close();
    await pool?.end();
    await db?.drop();
  });

  async function counts(query: string) {
    const response = await app.inject({
      method: 'GET',
      url: `/v1/reports/lead-counts${query}`,
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  it('counts the tenant’s leads by UTC day and channel, leaving merged leads out', async () => {
    expect(await counts('?groupBy=day,channel')).toEqual({
      groupBy: ['day', 'channel'],
      groups: [
        { key: { day: '2025-03-10', channel: 'ad' }, count: 2 },
        { key: { day: '2025-03-10', channel: 'web_form' }, count: 1 },
        { key: { day: '2025-03-11', channel: 'web_form' }, count: 1 },
        { key: { day: '2025-03-12', channel: 'partner' }, count: 1 },
      ],
    });
  });

  it('applies the lead filters before counting', async () => {
    expect(await counts('?groupBy=channel&capturedFrom=2025-03-10T10:00:00Z&capturedTo=2025-03-12')).toEqual({
      groupBy: ['channel'],
      groups: [
        { key: { channel: 'ad' }, count: 1 },
        { key: { channel: 'web_form' }, count: 2 },
      ],
    });
  });

  it('answers 400 for a dimension it does not know', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/reports/lead-counts?groupBy=day,shoeSize',
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'validation_failed' });
  });
});
