import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import type { ServiceServer } from '@l2o/service-kit';
import { buildApp } from '../app.ts';
import { freshProjectionsSchema } from '../projections-schema.fixture.ts';
import type { ProjectionsSchema } from '../projections-schema.fixture.ts';
import { applyEvent } from '../read-model/apply-events.ts';
import { readModels } from '../read-models.ts';
import { pipelineScenario } from './pipeline-scenario.fixture.ts';

describe('the pipeline reports', () => {
  const tenantId = `acme-${randomUUID()}`;
  let db: ProjectionsSchema;
  let pool: pg.Pool;
  let app: ServiceServer;

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_pipeline_routes');
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 4 });
    for (const event of [...pipelineScenario(tenantId), ...pipelineScenario(`other-${randomUUID()}`)]) {
      await applyEvent({ pool, readModels, event });
    }
    app = await buildApp({
      pool,
      logger: createLogger({ name: 'projections', level: 'silent' }),
      verifyApiKey: async () => ({ tenantId, scopes: ['read_reports'] }),
    });
  });
  afterAll(async () => {
    await app?.close();
    await pool?.end();
    await db?.drop();
  });

  async function rows(url: string): Promise<unknown[]> {
    const response = await app.inject({ method: 'GET', url, headers: { authorization: 'Bearer key' } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().rows;
  }

  const stageRow = (stageId: string, position: number, count: number, amount: number, weightedAmount: number) => ({
    stageId,
    stageName: stageId[0]?.toUpperCase() + stageId.slice(1),
    position,
    split: null,
    currency: 'EUR',
    count,
    amount,
    weightedAmount,
    stalled: 0,
  });

  it('shows the open deals by stage now', async () => {
    expect(await rows('/v1/reports/pipeline/by-stage')).toEqual([
      stageRow('qualification', 0, 1, 5_000, 500),
      stageRow('proposal', 2, 1, 10_000, 5_000),
    ]);
  });

  it('shows the open deals by stage as they stood at a past date', async () => {
    expect(await rows('/v1/reports/pipeline/by-stage?asOf=2025-03-06')).toEqual([
      stageRow('qualification', 0, 3, 33_000, 3_300),
      stageRow('discovery', 1, 1, 10_000, 2_500),
    ]);
  });

  it('narrows the past pipeline to a channel and splits it by owner', async () => {
    expect(await rows('/v1/reports/pipeline/by-stage?asOf=2025-03-06&channel=web_form&groupBy=ownerId')).toEqual([
      { ...stageRow('qualification', 0, 1, 20_000, 2_000), split: 'rep-ines' },
    ]);
  });

  it('forecasts the open deals by close month and category, weighted by stage probability', async () => {
    expect(await rows('/v1/reports/pipeline/forecast')).toEqual([
      {
        closeMonth: '2025-04',
        forecastCategory: 'best_case',
        split: null,
        currency: 'EUR',
        count: 1,
        amount: 10_000,
        weightedAmount: 5_000,
      },
      {
        closeMonth: '2025-04',
        forecastCategory: 'pipeline',
        split: null,
        currency: 'EUR',
        count: 1,
        amount: 5_000,
        weightedAmount: 500,
      },
    ]);
  });

  it('gives each stage’s conversion and days in stage', async () => {
    expect(await rows('/v1/reports/pipeline/stages')).toEqual([
      {
        stageId: 'qualification',
        stageName: 'Qualification',
        position: 0,
        entered: 5,
        advanced: 3,
        movedBack: 0,
        lost: 1,
        current: 1,
        conversionRate: 0.75,
        averageDays: 5.25,
        medianDays: 5,
      },
      {
        stageId: 'discovery',
        stageName: 'Discovery',
        position: 1,
        entered: 2,
        advanced: 2,
        movedBack: 0,
        lost: 0,
        current: 0,
        conversionRate: 1,
        averageDays: 8.5,
        medianDays: 8.5,
      },
      {
        stageId: 'proposal',
        stageName: 'Proposal',
        position: 2,
        entered: 1,
        advanced: 0,
        movedBack: 0,
        lost: 0,
        current: 1,
        conversionRate: null,
        averageDays: null,
        medianDays: null,
      },
    ]);
  });

  it('counts won deals and lost ones by reason, leaving out a win undone by a reopening', async () => {
    expect(await rows('/v1/reports/pipeline/outcomes?from=2025-03-01&to=2025-04-01')).toEqual([
      { outcome: 'won', reason: null, currency: 'EUR', count: 1, amount: 22_000 },
      { outcome: 'lost', reason: 'price', currency: 'EUR', count: 1, amount: 8_000 },
    ]);
    expect(await rows('/v1/reports/pipeline/outcomes?asOf=2025-03-07T00:00:00Z')).toEqual([
      { outcome: 'won', reason: null, currency: 'EUR', count: 1, amount: 5_000 },
    ]);
  });

  it('answers a report as CSV', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/reports/pipeline/by-stage?format=csv',
      headers: { authorization: 'Bearer key' },
    });
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.body).toBe(
      'stageId,stageName,position,split,currency,count,amount,weightedAmount,stalled\r\n' +
        'qualification,Qualification,0,,EUR,1,5000,500,0\r\nproposal,Proposal,2,,EUR,1,10000,5000,0\r\n',
    );
  });

  it('refuses an asOf that is no time', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/reports/pipeline/by-stage?asOf=yesterday',
      headers: { authorization: 'Bearer key' },
    });
    expect(response.statusCode).toBe(400);
  });
});
