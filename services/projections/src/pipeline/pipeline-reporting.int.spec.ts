import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, quoteIdent } from '@l2o/pg';
import { freshProjectionsSchema } from '../projections-schema.fixture.ts';
import type { ProjectionsSchema } from '../projections-schema.fixture.ts';
import { applyEvent } from '../read-model/apply-events.ts';
import { readModels } from '../read-models.ts';
import { pipelineScenario } from './pipeline-scenario.fixture.ts';

describe('the pipeline and attribution views of the reporting schema', () => {
  const tenantId = `acme-${randomUUID()}`;
  let db: ProjectionsSchema;
  let pool: pg.Pool;
  let analyst: pg.Client;
  const views = ['opportunity_history', 'opportunity_stage_visits', 'attribution_credits', 'campaign_costs'];

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_pipeline_reporting');
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 2 });
    for (const event of pipelineScenario(tenantId)) await applyEvent({ pool, readModels, event });
    analyst = new pg.Client({ connectionString: db.databaseUrl });
    await analyst.connect();
    await analyst.query('SET ROLE l2o_reporting');
  });
  afterAll(async () => {
    await analyst?.end();
    await pool?.end();
    await db?.drop();
  });

  const reporting = (view: string) => `${quoteIdent(db.reportingSchema)}.${view}`;

  it('give the reporting role the pipeline as of a past time with the WHERE their comment documents', async () => {
    const asOf = await analyst.query(
      `SELECT stage_id, count(*)::int AS deals, sum(amount)::float8 AS amount FROM ${reporting('opportunity_history')}
       WHERE tenant_id = $1 AND status = 'open' AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)
       GROUP BY 1 ORDER BY 1`,
      [tenantId, '2025-03-06T00:00:00Z'],
    );
    expect(asOf.rows).toEqual([
      { stage_id: 'discovery', deals: 1, amount: 10_000 },
      { stage_id: 'qualification', deals: 3, amount: 33_000 },
    ]);
  });

  it('give the reporting role credits by model without the reopened deal, and the latest daily costs', async () => {
    const credits = await analyst.query(
      `SELECT model, value, sum(amount)::float8 AS amount FROM ${reporting('attribution_credits')}
       WHERE tenant_id = $1 AND dimension = 'channel' GROUP BY 1, 2 ORDER BY 1, 2`,
      [tenantId],
    );
    expect(credits.rows).toEqual([
      { model: 'first_touch', value: 'web_form', amount: 22_000 },
      { model: 'linear', value: 'ad', amount: 11_000 },
      { model: 'linear', value: 'web_form', amount: 11_000 },
    ]);
    const costs = await analyst.query(`SELECT sum(amount)::float8 AS cost FROM ${reporting('campaign_costs')}`);
    expect(costs.rows).toEqual([{ cost: 400 }]);
    const days = await analyst.query(
      `SELECT count(*)::int AS stays FROM ${reporting('opportunity_stage_visits')} WHERE days_in_stage IS NOT NULL`,
    );
    expect(days.rows).toEqual([{ stays: 6 }]);
  });

  it('document every view and its tenant column', async () => {
    for (const view of views) {
      const comments = await pool.query<{ view: string | null; tenant: string | null }>(
        `SELECT obj_description($1::regclass, 'pg_class') AS view,
           col_description($1::regclass, (SELECT attnum FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'tenant_id')) AS tenant`,
        [reporting(view)],
      );
      expect(comments.rows[0]?.view?.length, view).toBeGreaterThan(40);
      expect(comments.rows[0]?.tenant, view).toMatch(/filter on it/);
    }
  });
});
