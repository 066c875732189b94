import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadScoredV1Example, maxPgInteger } from '@l2o/contracts';
import type { CloudEvent } from '@l2o/contracts';
import { createPool } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import type { ServiceServer } from '@l2o/service-kit';
import { createApiKey, createApiKeyVerifier, migrateTenancy } from '@l2o/tenancy';
import { buildApp } from '../app.ts';
import {
  leadCapturedEvent,
  leadEventOf,
  leadScoredEvent,
  leadTouchRecordedEvent,
} from '../leads/lead-event.fixture.ts';
import { freshProjectionsSchema } from '../projections-schema.fixture.ts';
import type { ProjectionsSchema } from '../projections-schema.fixture.ts';
import { applyEvent } from '../read-model/apply-events.ts';
import { streamEventFromCloudEvent } from '@l2o/stream-consumer';
import { readModels } from '../read-models.ts';

describe('GET /v1/leads/:leadId/timeline', () => {
  let db: ProjectionsSchema;
  let pool: pg.Pool;
  let app: ServiceServer;

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_timeline');
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
    await app?.close();
    await pool?.end();
    await db?.drop();
  });

  async function applyAll(events: CloudEvent[]): Promise<void> {
    for (const event of events) await applyEvent({ pool, readModels, event: streamEventFromCloudEvent(event) });
  }

  async function timeline(leadId: string, tenantId: string, query = '') {
    const { apiKey } = await createApiKey({ pool, tenantId, name: 'timeline-test', scopes: ['read_reports'] });
    return app.inject({
      method: 'GET',
      url: `/v1/leads/${leadId}/timeline${query}`,
      headers: { authorization: `Bearer ${apiKey}` },
    });
  }

  it('answers every event of the lead in stream order, a score with its breakdown as published', async () => {
    const captured = leadCapturedEvent();
    const touch = leadTouchRecordedEvent({ lead: captured, streamversion: 2 });
    const scored = leadScoredEvent({ lead: captured, streamversion: 3, score: 72 });
    const assigned = leadEventOf({ lead: captured, streamversion: 4, name: 'LeadAssigned' });
    await applyAll([captured, touch, scored, assigned]);

    const response = await timeline(captured.subject, captured.tenantid);

    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{ events: Array<Record<string, unknown>>; nextAfterVersion: number | null }>();
    expect(body.events.map((event) => [event.version, event.type])).toEqual([
      [1, 'LeadCaptured'],
      [2, 'LeadTouchRecorded'],
      [3, 'LeadScored'],
      [4, 'LeadAssigned'],
    ]);
    expect(body.events[2]).toEqual({
      version: 3,
      eventId: scored.id,
      type: 'LeadScored',
      schemaVersion: 1,
      recordedAt: scored.time,
      data: expect.objectContaining({ score: 72, grade: 'B', breakdown: leadScoredV1Example.breakdown }),
    });
    expect(body.nextAfterVersion).toBeNull();
  });

  it('pages a long timeline by version', async () => {
    const captured = leadCapturedEvent();
    const touches = [2, 3, 4, 5].map((streamversion) => leadTouchRecordedEvent({ lead: captured, streamversion }));
    await applyAll([captured, ...touches]);

    const first = (await timeline(captured.subject, captured.tenantid, '?limit=3')).json<{
      nextAfterVersion: number;
    }>();
    const rest = await timeline(captured.subject, captured.tenantid, `?limit=3&afterVersion=${first.nextAfterVersion}`);

    expect(first.nextAfterVersion).toBe(3);
    expect(rest.json<{ events: Array<{ version: number }> }>().events.map((event) => event.version)).toEqual([4, 5]);
  });

  it('pages up to the largest stream version an integer holds, and answers 400 naming afterVersion beyond', async () => {
    const captured = leadCapturedEvent();
    await applyAll([captured]);

    const last = await timeline(captured.subject, captured.tenantid, `?afterVersion=${maxPgInteger}`);
    const beyond = await timeline(captured.subject, captured.tenantid, `?afterVersion=${maxPgInteger + 1}`);

    expect([last.statusCode, last.json()]).toEqual([
      200,
      { leadId: captured.subject, events: [], nextAfterVersion: null },
    ]);
    expect([beyond.statusCode, beyond.json()]).toEqual([
      400,
      expect.objectContaining({ code: 'validation_failed', field: 'afterVersion' }),
    ]);
  });

  it('answers 404 for another tenant’s lead, as for one that does not exist', async () => {
    const captured = leadCapturedEvent();
    await applyAll([captured]);

    const response = await timeline(captured.subject, `other-${randomUUID()}`);

    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ status: 404, code: 'not_found', reason: `lead ${captured.subject} not found` });
  });
});
