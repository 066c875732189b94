import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import type { ServiceServer } from '@l2o/service-kit';
import { createApiKey, createApiKeyVerifier, migrateTenancy } from '@l2o/tenancy';
import { buildApp } from '../app.ts';
import { storyEvents } from '../funnel/funnel-story.fixture.ts';
import { freshProjectionsSchema } from '../projections-schema.fixture.ts';
import type { ProjectionsSchema } from '../projections-schema.fixture.ts';
import { applyEvent } from '../read-model/apply-events.ts';
import type { StreamEvent } from '@l2o/stream-consumer';
import { streamEvents } from '../read-model/stream-events.fixture.ts';
import { resetReadModels } from '../rebuild/rebuild-read-models.ts';
import { responseReadModel } from './response.projection.ts';

describe('the response read model', () => {
  const tenantId = `acme-${randomUUID()}`;
  let db: ProjectionsSchema;
  let pool: pg.Pool;
  let app: ServiceServer;
  let apiKey: string;
  let events: StreamEvent[];
  const readModels = [responseReadModel];

  /** A lead handed from rep-li (who rejects it) to rep-ines, who accepts it an hour later. */
  function rejectedAndReassigned(): StreamEvent[] {
    const { leadId, events: first } = storyEvents({
      tenantId,
      channel: 'ad',
      capturedAt: '2025-03-03T08:00:00Z',
      assigned: { at: '2025-03-03T09:00:00Z', ownerId: 'rep-li', team: 'emea', dueAt: '2025-03-03T11:00:00Z' },
    });
    const more = streamEvents({
      aggregate: 'lead',
      id: leadId,
      tenantId,
      firstVersion: first.length + 1,
      events: [
        {
          type: 'LeadRejected',
          at: '2025-03-03T09:30:00Z',
          data: { ownerId: 'rep-li', rejectedAt: '2025-03-03T09:30:00Z', reason: 'territory' },
        },
        {
          type: 'LeadAssigned',
          at: '2025-03-03T09:40:00Z',
          data: {
            assignedAt: '2025-03-03T09:40:00Z',
            ownerId: 'rep-ines',
            poolId: 'emea',
            strategy: 'round_robin',
            reason: 'rejected',
            responseDueAt: '2025-03-03T11:40:00Z',
          },
        },
        {
          type: 'LeadAccepted',
          at: '2025-03-03T10:30:00Z',
          data: { ownerId: 'rep-li', acceptedAt: '2025-03-03T10:30:00Z' },
        },
        {
          type: 'LeadAccepted',
          at: '2025-03-03T10:40:00Z',
          data: { ownerId: 'rep-ines', acceptedAt: '2025-03-03T10:40:00Z' },
        },
      ],
    });
    return [...first, ...more];
  }

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_response');
    await migrateTenancy({ databaseUrl: db.databaseUrl, schema: db.schema });
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 4 });
    app = await buildApp({
      pool,
      logger: createLogger({ name: 'projections', level: 'silent' }),
      verifyApiKey: createApiKeyVerifier({ pool }),
    });
    await app.ready();
    apiKey = (await createApiKey({ pool, tenantId, name: 'response-test', scopes: ['read_reports'] })).apiKey;
    const assigned = (ownerId: string, team: string, at: string, dueAt: string) => ({ at, ownerId, team, dueAt });
    events = [
      ...storyEvents({
        tenantId,
        channel: 'ad',
        capturedAt: '2025-03-01T09:00:00Z',
        assigned: assigned('rep-ines', 'emea', '2025-03-01T10:00:00Z', '2025-03-01T12:00:00Z'),
        response: { at: '2025-03-01T10:30:00Z', kind: 'accepted' },
      }).events,
      ...storyEvents({
        tenantId,
        channel: 'web_form',
        capturedAt: '2025-03-01T09:00:00Z',
        assigned: assigned('rep-ines', 'emea', '2025-03-01T11:00:00Z', '2025-03-01T13:00:00Z'),
        response: { at: '2025-03-01T14:00:00Z', kind: 'contacted' },
        sqlAt: '2025-03-02T09:00:00Z',
        convertedAt: '2025-03-02T10:00:00Z',
      }).events.filter((event) => event.aggregate === 'lead'),
      ...storyEvents({
        tenantId,
        channel: 'ad',
        capturedAt: '2025-03-02T08:00:00Z',
        assigned: assigned('rep-omar', 'na', '2025-03-02T09:00:00Z', '2025-03-02T11:00:00Z'),
        breachedAt: '2025-03-02T11:00:00Z',
      }).events,
      ...storyEvents({
        tenantId,
        channel: 'ad',
        capturedAt: '2025-03-02T08:00:00Z',
        assigned: assigned('rep-omar', 'na', '2025-03-02T10:00:00Z', '2025-03-02T12:00:00Z'),
      }).events,
      ...rejectedAndReassigned(),
      ...storyEvents({
        tenantId: `other-${randomUUID()}`,
        channel: 'ad',
        capturedAt: '2025-03-02T08:00:00Z',
        assigned: assigned('rep-ines', 'emea', '2025-03-02T10:00:00Z', '2025-03-02T12:00:00Z'),
      }).events,
    ];
  });
  afterAll(async () => {
    await app?.close();
    await pool?.end();
    await db?.drop();
  });

  async function snapshot(): Promise<unknown[][]> {
    return Promise.all(
      ['response_leads', 'response_assignments'].map(
        async (table) => (await pool.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3`)).rows,
      ),
    );
  }

  async function get(url: string) {
    const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${apiKey}` } });
    expect(response.statusCode, response.body).toBe(200);
    return response;
  }

  it('gives the same rows when every event arrives twice', async () => {
    await resetReadModels({ pool, readModels });
    for (const event of events) await applyEvent({ pool, readModels, event });
    const once = await snapshot();

    await resetReadModels({ pool, readModels });
    for (const event of events) {
      await applyEvent({ pool, readModels, event });
      await applyEvent({ pool, readModels, event });
    }

    expect(await snapshot()).toEqual(once);
    expect(once[1]).toHaveLength(7);
  });

  it('gives each rep’s SLA outcomes, compliance and first-response times', async () => {
    const report = (await get('/v1/reports/response')).json();

    expect(report.groupBy).toEqual(['ownerId']);
    expect(report.groups).toEqual([
      {
        key: { ownerId: 'rep-ines' },
        assignments: 3,
        sla: { met: 2, late: 1, breached: 0, overdue: 0, pending: 0, ended: 0 },
        compliance: 0.6667,
        responseMinutes: { mean: 90, p50: 60, p90: 156 },
      },
      {
        key: { ownerId: 'rep-li' },
        assignments: 1,
        sla: { met: 0, late: 0, breached: 0, overdue: 0, pending: 0, ended: 1 },
        compliance: null,
        responseMinutes: { mean: null, p50: null, p90: null },
      },
      {
        key: { ownerId: 'rep-omar' },
        assignments: 2,
        sla: { met: 0, late: 0, breached: 1, overdue: 1, pending: 0, ended: 0 },
        compliance: 0,
        responseMinutes: { mean: null, p50: null, p90: null },
      },
    ]);
  });

  it('groups by team and filters by assignment period and channel', async () => {
    const byTeam = (await get('/v1/reports/response?groupBy=team')).json();
    expect(byTeam.groups.map((group: { key: unknown; assignments: number }) => [group.key, group.assignments])).toEqual(
      [
        [{ team: 'emea' }, 4],
        [{ team: 'na' }, 2],
      ],
    );
    const filtered = (await get('/v1/reports/response?from=2025-03-01&to=2025-03-02&channel=web_form')).json();
    expect(filtered.groups).toEqual([expect.objectContaining({ key: { ownerId: 'rep-ines' }, assignments: 1 })]);
  });

  it('counts each rep’s open leads, awaiting a response or in progress', async () => {
    expect((await get('/v1/reports/workload')).json()).toEqual({
      reps: [
        { ownerId: 'rep-ines', open: 2, awaitingResponse: 0, inProgress: 2 },
        { ownerId: 'rep-omar', open: 2, awaitingResponse: 2, inProgress: 0 },
      ],
    });
    expect((await get('/v1/reports/workload?team=na&format=csv')).body).toBe(
      'ownerId,open,awaitingResponse,inProgress\r\nrep-omar,2,2,0\r\n',
    );
  });
});
