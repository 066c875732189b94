import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import type { ServiceServer } from '@l2o/service-kit';
import { buildApp } from '../app.ts';
import { pipelineScenario } from '../pipeline/pipeline-scenario.fixture.ts';
import { freshProjectionsSchema } from '../projections-schema.fixture.ts';
import type { ProjectionsSchema } from '../projections-schema.fixture.ts';
import { applyEvent } from '../read-model/apply-events.ts';
import { readModels } from '../read-models.ts';

describe('the attribution reports', () => {
  const tenantId = `acme-${randomUUID()}`;
  let db: ProjectionsSchema;
  let pool: pg.Pool;
  let app: ServiceServer;

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_attribution_routes');
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

  it('credits revenue by model and channel, leaving out a deal reopened since its win', async () => {
    expect(await rows('/v1/reports/attribution/credit')).toEqual([
      { model: 'first_touch', key: 'web_form', currency: 'EUR', deals: 1, amount: 22_000 },
      { model: 'linear', key: 'ad', currency: 'EUR', deals: 1, amount: 11_000 },
      { model: 'linear', key: 'web_form', currency: 'EUR', deals: 1, amount: 11_000 },
    ]);
  });

  it('credits revenue by model and campaign, touches without one apart', async () => {
    expect(await rows('/v1/reports/attribution/credit?groupBy=campaign&model=linear')).toEqual([
      { model: 'linear', key: 'spring-webinar', currency: 'EUR', deals: 1, amount: 11_000 },
      { model: 'linear', key: null, currency: 'EUR', deals: 1, amount: 11_000 },
    ]);
  });

  it('gives cost per lead, CAC and ROI per channel and model from the latest daily costs', async () => {
    const roi = (key: string, model: string, figures: Record<string, number | null>) => ({ key, model, ...figures });
    const ad = { cost: 400, leads: 2, wonDeals: 0, costPerLead: 200, cac: null };
    const webForm = { cost: 0, leads: 1, wonDeals: 1, costPerLead: 0, cac: 0, roi: null };
    expect(await rows('/v1/reports/attribution/roi?from=2025-03-01&to=2025-04-01')).toEqual([
      roi('ad', 'first_touch', { ...ad, attributedRevenue: 0, roi: -1 }),
      roi('ad', 'linear', { ...ad, attributedRevenue: 11_000, roi: 26.5 }),
      roi('web_form', 'first_touch', { ...webForm, attributedRevenue: 22_000 }),
      roi('web_form', 'linear', { ...webForm, attributedRevenue: 11_000 }),
    ]);
  });

  it('leaves costs of days outside the period out', async () => {
    const [first] = (await rows(
      '/v1/reports/attribution/roi?groupBy=campaign&from=2025-03-02&to=2025-03-03',
    )) as Array<{
      key: string;
      cost: number;
    }>;
    expect(first).toMatchObject({ key: 'spring-webinar', cost: 300 });
  });

  it('answers as CSV', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/reports/attribution/credit?model=first_touch',
      headers: { authorization: 'Bearer key', accept: 'text/csv' },
    });
    expect(response.body).toBe('model,key,currency,deals,amount\r\nfirst_touch,web_form,EUR,1,22000\r\n');
  });
});
