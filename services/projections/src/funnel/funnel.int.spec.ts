import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import type { ServiceServer } from '@l2o/service-kit';
import { createApiKey, createApiKeyVerifier, migrateTenancy } from '@l2o/tenancy';
import { buildApp } from '../app.ts';
import { freshProjectionsSchema } from '../projections-schema.fixture.ts';
import type { ProjectionsSchema } from '../projections-schema.fixture.ts';
import { applyEvent } from '../read-model/apply-events.ts';
import type { StreamEvent } from '@l2o/stream-consumer';
import { resetReadModels } from '../rebuild/rebuild-read-models.ts';
import { storyEvents } from './funnel-story.fixture.ts';
import type { LeadStory } from './funnel-story.fixture.ts';
import { readFunnelFromDaily, readFunnelFromLeads } from './funnel-queries.ts';
import type { FunnelDimension } from './funnel-queries.ts';
import { funnelReadModel } from './funnel.projection.ts';

describe('the funnel read model', () => {
  const tenantId = `acme-${randomUUID()}`;
  let db: ProjectionsSchema;
  let pool: pg.Pool;
  let app: ServiceServer;
  let apiKey: string;
  let events: StreamEvent[];
  const readModels = [funnelReadModel];

  const stories: LeadStory[] = [
    {
      tenantId,
      channel: 'ad',
      campaign: 'spring',
      capturedAt: '2025-03-01T10:00:00Z',
      mqlAt: '2025-03-01T12:00:00Z',
      assigned: { at: '2025-03-01T12:05:00Z', ownerId: 'rep-ines', team: 'emea' },
      sqlAt: '2025-03-02T12:00:00Z',
      convertedAt: '2025-03-02T16:00:00Z',
      wonAt: '2025-03-12T16:00:00Z',
    },
    {
      tenantId,
      channel: 'ad',
      campaign: 'spring',
      capturedAt: '2025-03-01T12:00:00Z',
      mqlAt: '2025-03-01T16:00:00Z',
      assigned: { at: '2025-03-01T16:05:00Z', ownerId: 'rep-omar', team: 'na' },
      sqlAt: '2025-03-05T16:00:00Z',
      convertedAt: '2025-03-05T18:00:00Z',
      wonAt: '2025-03-20T18:00:00Z',
      reopenedAt: '2025-03-25T09:00:00Z',
    },
    {
      tenantId,
      channel: 'web_form',
      capturedAt: '2025-03-02T09:00:00Z',
      mqlAt: '2025-03-03T09:00:00Z',
      disqualifiedAt: '2025-03-04T09:00:00Z',
    },
    { tenantId, channel: 'web_form', capturedAt: '2025-03-02T10:00:00Z' },
    { tenantId, channel: 'web_form', capturedAt: '2025-03-03T10:00:00Z', mergedAt: '2025-03-04T10:00:00Z' },
    { tenantId: `other-${randomUUID()}`, channel: 'ad', capturedAt: '2025-03-01T10:00:00Z' },
  ];

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_funnel');
    await migrateTenancy({ databaseUrl: db.databaseUrl, schema: db.schema });
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 4 });
    app = await buildApp({
      pool,
      logger: createLogger({ name: 'projections', level: 'silent' }),
      verifyApiKey: createApiKeyVerifier({ pool }),
    });
    await app.ready();
    apiKey = (await createApiKey({ pool, tenantId, name: 'funnel-test', scopes: ['read_reports'] })).apiKey;
    events = stories.flatMap((story) => storyEvents(story).events);
  });
  afterAll(async () => {
    await app?.close();
    await pool?.end();
    await db?.drop();
  });

  async function snapshot(): Promise<unknown[][]> {
    return Promise.all(
      ['funnel_leads', 'funnel_wins', 'funnel_daily', 'funnel_daily_by_channel'].map(
        async (table) => (await pool.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3, 4`)).rows,
      ),
    );
  }

  async function funnel(query: string) {
    const response = await app.inject({
      method: 'GET',
      url: `/v1/reports/funnel?${query}`,
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  it('gives the same rows when every event arrives twice, the opportunity’s before the lead’s', async () => {
    await resetReadModels({ pool, readModels });
    for (const event of events) await applyEvent({ pool, readModels, event });
    const once = await snapshot();

    await resetReadModels({ pool, readModels });
    const opportunityFirst = [...events].sort(
      (a, b) => Number(b.aggregate === 'opportunity') - Number(a.aggregate === 'opportunity'),
    );
    for (const event of [...opportunityFirst, ...opportunityFirst]) await applyEvent({ pool, readModels, event });

    expect(await snapshot()).toEqual(once);
    expect(once[0]).toHaveLength(6);
  });

  /** The same questions of funnel_daily and of the leads' rows, side by side. */
  async function bothPaths() {
    const questions: Array<{ groupBy: FunnelDimension[]; filters: Record<string, string> }> = [
      { groupBy: [], filters: {} },
      { groupBy: ['channel'], filters: {} },
      { groupBy: ['day', 'channel'], filters: { from: '2025-03-02T00:00:00Z', to: '2025-03-03T00:00:00Z' } },
      { groupBy: ['week', 'campaign'], filters: { channel: 'ad' } },
      { groupBy: ['month', 'source'], filters: { campaign: 'spring' } },
      { groupBy: ['channel'], filters: { from: '2025-03-02T00:00:00Z' } },
      { groupBy: ['source'], filters: { to: '2025-03-03T00:00:00Z' } },
    ];
    const answers = async (read: typeof readFunnelFromLeads) =>
      Promise.all(questions.map(({ groupBy, filters }) => read({ pool, tenantId, groupBy, filters })));
    return { daily: await answers(readFunnelFromDaily), leads: await answers(readFunnelFromLeads) };
  }

  it('answers from funnel_daily what the leads’ rows answer, live and after redelivery out of order', async () => {
    await resetReadModels({ pool, readModels });
    for (const event of events) await applyEvent({ pool, readModels, event });
    const live = await bothPaths();
    expect(live.daily).toEqual(live.leads);
    expect(live.daily[0]).toEqual([
      expect.objectContaining({ counts: { leads: 4, mql: 3, sql: 2, opportunities: 2, won: 1 } }),
    ]);

    await resetReadModels({ pool, readModels });
    const opportunityFirst = [...events].sort(
      (a, b) => Number(b.aggregate === 'opportunity') - Number(a.aggregate === 'opportunity'),
    );
    for (const event of [...opportunityFirst, ...opportunityFirst]) await applyEvent({ pool, readModels, event });
    const redelivered = await bothPaths();
    expect(redelivered.daily).toEqual(redelivered.leads);
    expect(redelivered.daily).toEqual(live.daily);
  });

  it('leaves out of the daily sums a lead merged away and a win reopened since', async () => {
    const sums = async (table: string) =>
      (await pool.query(`SELECT sum(leads) AS leads, sum(won) AS won FROM ${table} WHERE tenant_id = $1`, [tenantId]))
        .rows;
    expect(await sums('funnel_daily')).toEqual([{ leads: '4', won: '1' }]);
    expect(await sums('funnel_daily_by_channel')).toEqual([{ leads: '4', won: '1' }]);
  });

  it('counts each step the cohort reached, with step-to-step rates and mean hours, by channel', async () => {
    const report = await funnel('groupBy=channel');

    expect(report.groups).toEqual([
      {
        key: { channel: 'ad' },
        counts: { leads: 2, mql: 2, sql: 2, opportunities: 2, won: 1 },
        rates: { leadToMql: 1, mqlToSql: 1, sqlToOpportunity: 1, opportunityToWon: 0.5 },
        hours: { leadToMql: 3, mqlToSql: 60, sqlToOpportunity: 3, opportunityToWon: 240 },
      },
      {
        key: { channel: 'web_form' },
        counts: { leads: 2, mql: 1, sql: 0, opportunities: 0, won: 0 },
        rates: { leadToMql: 0.5, mqlToSql: 0, sqlToOpportunity: null, opportunityToWon: null },
        hours: { leadToMql: 24, mqlToSql: null, sqlToOpportunity: null, opportunityToWon: null },
      },
    ]);
  });

  it('shows the funnel as it stood at a past instant: a win later undone, a lead later merged', async () => {
    const beforeReopen = await funnel('groupBy=channel&asOf=2025-03-22T00:00:00Z');
    expect(beforeReopen.groups[0].counts).toEqual({ leads: 2, mql: 2, sql: 2, opportunities: 2, won: 2 });

    const early = await funnel('groupBy=channel&asOf=2025-03-03T12:00:00Z');
    expect(early.groups.map((group: { counts: unknown }) => group.counts)).toEqual([
      { leads: 2, mql: 2, sql: 1, opportunities: 1, won: 0 },
      { leads: 3, mql: 1, sql: 0, opportunities: 0, won: 0 },
    ]);
  });

  it('filters by period, channel, campaign and team, and groups by capture day', async () => {
    const report = await funnel('from=2025-03-02&to=2025-03-03&groupBy=day,channel');
    expect(
      report.groups.map((group: { key: unknown; counts: { leads: number } }) => [group.key, group.counts.leads]),
    ).toEqual([[{ day: '2025-03-02', channel: 'web_form' }, 2]]);
    const team = await funnel('team=na&campaign=spring&channel=ad');
    expect(team.groups).toEqual([
      expect.objectContaining({ key: {}, counts: { leads: 1, mql: 1, sql: 1, opportunities: 1, won: 0 } }),
    ]);
  });

  it('exports the groups as CSV', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/reports/funnel?groupBy=channel&format=csv',
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.body.split('\r\n').slice(0, 2)).toEqual([
      'group,leads,mql,sql,opportunities,won,leadToMqlRate,mqlToSqlRate,sqlToOpportunityRate,opportunityToWonRate,' +
        'leadToMqlHours,mqlToSqlHours,sqlToOpportunityHours,opportunityToWonHours',
      'ad,2,2,2,2,1,1,1,1,0.5,3,60,3,240',
    ]);
  });
});
