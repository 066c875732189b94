import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import type { ServiceServer } from '@l2o/service-kit';
import { freshSchema } from '@l2o/testing';
import { buildApp } from '../app.ts';
import { migrateProjections } from '../migrations.ts';
import { leadCapturedEvent } from './lead-event.fixture.ts';
import { applyLeadEvent } from './leads.projection.ts';

describe('GET /v1/leads/:leadId', () => {
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let pool: pg.Pool;
  let app: ServiceServer;

  beforeAll(async () => {
    db = await freshSchema('proj_routes');
    await migrateProjections({ databaseUrl: db.databaseUrl, schema: db.schema });
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 4 });
    app = await buildApp({ pool, logger: createLogger({ name: 'projections', level: 'silent' }) });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await pool.end();
    await db.drop();
  });

  function getLead(leadId: string, tenantId?: string) {
    return app.inject({
      method: 'GET',
      url: `/v1/leads/${leadId}`,
      headers: tenantId === undefined ? {} : { 'x-tenant-id': tenantId },
    });
  }

  it('answers 200 with the lead of the caller’s tenant', async () => {
    const event = leadCapturedEvent();
    await applyLeadEvent({ pool, event });

    const response = await getLead(event.subject, event.tenantid);

    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      leadId: event.subject,
      status: 'captured',
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
      capturedAt: '2025-03-14T09:26:53.000Z',
      updatedAt: event.time,
      version: 1,
    });
  });

  it('answers null for what the lead did not give', async () => {
    const event = leadCapturedEvent({
      data: {
        contact: { phone: '+14155550123' },
        company: {},
        touchpoint: { channel: 'api', occurredAt: '2025-03-14T09:00:00Z' },
      },
    });
    await applyLeadEvent({ pool, event });

    const response = await getLead(event.subject, event.tenantid);

    expect(response.json()).toMatchObject({ email: null, phone: '+14155550123', companyName: null, source: null });
  });

  it('answers 404 not_found for a lead it does not hold', async () => {
    const leadId = randomUUID();
    const response = await getLead(leadId, 'acme');

    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ status: 404, code: 'not_found', reason: `lead ${leadId} not found` });
  });

  it('does not show tenant A’s lead to tenant B', async () => {
    const event = leadCapturedEvent({ tenantId: `a-${randomUUID()}` });
    await applyLeadEvent({ pool, event });

    const asOwner = await getLead(event.subject, event.tenantid);
    const asOther = await getLead(event.subject, `b-${randomUUID()}`);

    expect(asOwner.statusCode).toBe(200);
    expect(asOther.statusCode).toBe(404);
    expect(asOther.json()).toEqual({ status: 404, code: 'not_found', reason: `lead ${event.subject} not found` });
  });

  it('answers 400 naming x-tenant-id when the header is missing', async () => {
    const event = leadCapturedEvent();
    await applyLeadEvent({ pool, event });

    const response = await getLead(event.subject);

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      status: 400,
      field: 'x-tenant-id',
      reason: 'the x-tenant-id header is required',
    });
  });

  it('documents the 200 view with an example and the error responses', async () => {
    const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    const operation = document.paths['/v1/leads/{leadId}'].get;
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
    expect(JSON.stringify(operation.responses['200'])).toContain('Analytical Engines Ltd');
    expect(operation.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'x-tenant-id' }));
  });
});
