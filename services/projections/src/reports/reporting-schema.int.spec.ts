import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '@l2o/contracts';
import { createPool, quoteIdent } from '@l2o/pg';
import { leadCapturedEvent, leadScoredEvent } from '../leads/lead-event.fixture.ts';
import { freshProjectionsSchema } from '../projections-schema.fixture.ts';
import type { ProjectionsSchema } from '../projections-schema.fixture.ts';
import { applyEvent } from '../read-model/apply-events.ts';
import { streamEventFromCloudEvent } from '@l2o/stream-consumer';
import { readModels } from '../read-models.ts';

describe('the reporting schema', () => {
  let db: ProjectionsSchema;
  let pool: pg.Pool;
  let analyst: pg.Client;
  let captured: CloudEvent;

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_reporting');
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 2 });
    captured = leadCapturedEvent();
    for (const event of [captured, leadScoredEvent({ lead: captured, streamversion: 2, score: 72 })]) {
      await applyEvent({ pool, readModels, event: streamEventFromCloudEvent(event) });
    }
    // The role cannot log in: an analyst's login is a member of it; SET ROLE stands for one here.
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
  const base = (table: string) => `${quoteIdent(db.schema)}.${table}`;

  it('lets the reporting role read the views, tenant as a column', async () => {
    const leads = await analyst.query(
      `SELECT tenant_id, lead_id::text, status, score, grade FROM ${reporting('leads')}`,
    );
    expect(leads.rows).toEqual([
      { tenant_id: captured.tenantid, lead_id: captured.subject, status: 'captured', score: 72, grade: 'B' },
    ]);
    const daily = await analyst.query(
      `SELECT tenant_id, day::text, channel, captured FROM ${reporting('leads_daily')}`,
    );
    expect(daily.rows).toEqual([{ tenant_id: captured.tenantid, day: '2025-03-14', channel: 'web_form', captured: 1 }]);
    const events = await analyst.query(`SELECT type, data FROM ${reporting('lead_events')} ORDER BY stream_version`);
    expect(events.rows.map((row) => row.type)).toEqual(['LeadCaptured', 'LeadScored']);
    expect(events.rows[0].data).not.toHaveProperty('contact');
    expect(events.rows[1].data.breakdown).toHaveLength(4);
    expect((await analyst.query(`SELECT count(*)::int AS n FROM ${reporting('lead_response_sla')}`)).rows).toEqual([
      { n: 0 },
    ]);
  });

  it('keeps the reporting role out of the read model tables and from writing through the views', async () => {
    for (const table of ['leads', 'lead_timeline', 'read_model_positions']) {
      await expect(analyst.query(`SELECT 1 FROM ${base(table)}`), table).rejects.toMatchObject({ code: '42501' });
    }
    await expect(analyst.query(`UPDATE ${reporting('leads')} SET score = 1`)).rejects.toMatchObject({ code: '42501' });
  });

  it('documents every view and every column analysts filter on', async () => {
    const comments = await pool.query<{ view: string; comment: string | null }>(
      `SELECT c.relname AS view, obj_description(c.oid, 'pg_class') AS comment
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind = 'v' ORDER BY 1`,
      [db.reportingSchema],
    );
    expect(comments.rows.map((row) => row.view)).toEqual(
      expect.arrayContaining(['lead_events', 'lead_response_sla', 'leads', 'leads_daily']),
    );
    expect(comments.rows.every((row) => (row.comment ?? '').length > 20)).toBe(true);
    const undocumented = await pool.query<{ column_name: string }>(
      `SELECT a.attname AS column_name FROM pg_attribute a
       WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND col_description(a.attrelid, a.attnum) IS NULL
         AND a.attname IN ('tenant_id', 'status', 'score', 'owner_id', 'channel', 'captured_at', 'qualified_at')`,
      [reporting('leads')],
    );
    expect(undocumented.rows).toEqual([]);
  });

  it('lets the reporting role read the funnel and response views, documented column by column', async () => {
    for (const view of ['funnel_leads', 'funnel_wins', 'response_assignments']) {
      await expect(analyst.query(`SELECT * FROM ${reporting(view)} LIMIT 1`), view).resolves.toBeDefined();
      const undocumented = await pool.query<{ attname: string }>(
        `SELECT attname FROM pg_attribute
         WHERE attrelid = $1::regclass AND attnum > 0 AND col_description(attrelid, attnum) IS NULL
           AND attname NOT IN ('lead_id', 'opportunity_id')`,
        [reporting(view)],
      );
      expect(undocumented.rows, view).toEqual([]);
    }
    const funnel = await analyst.query(`SELECT lead_id::text, channel, mql_at FROM ${reporting('funnel_leads')}`);
    expect(funnel.rows).toEqual([{ lead_id: captured.subject, channel: 'web_form', mql_at: null }]);
  });

  it('creates the role and grants again without failing when migrated a second time', async () => {
    const again = await freshProjectionsSchema('proj_reporting_again');
    try {
      const grants = await pool.query(
        `SELECT has_schema_privilege('l2o_reporting', $1, 'USAGE') AS usage,
                has_schema_privilege('l2o_reporting', $2, 'USAGE') AS base_usage`,
        [again.reportingSchema, again.schema],
      );
      expect(grants.rows).toEqual([{ usage: true, base_usage: false }]);
    } finally {
      await again.drop();
    }
  });
});
