import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadCapturedV1Example, streamIdFor, toCloudEvent } from '@l2o/contracts';
import { createPostgresEventStore, migrateEventStore, START } from '@l2o/event-store';
import type { PostgresEventStore } from '@l2o/event-store';
import { createPool } from '@l2o/pg';
import { spreadTransactionIdsAcrossDigits, uniqueSuffix, waitFor } from '@l2o/testing';
import { freshProjectionsSchema } from '../projections-schema.fixture.ts';
import type { ProjectionsSchema } from '../projections-schema.fixture.ts';
import { applyEvent } from '../read-model/apply-events.ts';
import { appendStreamPlans, planDealHistory } from '../read-model/deal-history.fixture.ts';
import { appendLeadHistory, planLeadHistory } from '../read-model/lead-history.fixture.ts';
import { appendOpportunityHistory, planOpportunityHistory } from '../read-model/opportunity-history.fixture.ts';
import { streamEventFromCloudEvent } from '@l2o/stream-consumer';
import { readModels } from '../read-models.ts';
import { rebuildReadModels } from './rebuild-read-models.ts';

describe('rebuilding the read models', () => {
  let db: ProjectionsSchema;
  let pool: pg.Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_rebuild');
    await migrateEventStore({ databaseUrl: db.databaseUrl, schema: db.schema });
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 4 });
    store = createPostgresEventStore({ pool, schema: db.schema, pollIntervalMs: 10 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  /** Every row of every read model and every position, in a stable order. */
  async function snapshot(): Promise<Record<string, unknown[]>> {
    const rows = async (sql: string) => (await pool.query(sql)).rows;
    return {
      leads: await rows('SELECT * FROM leads ORDER BY tenant_id, lead_id'),
      timeline: await rows('SELECT * FROM lead_timeline ORDER BY tenant_id, lead_id, stream_version'),
      positions: await rows('SELECT * FROM read_model_positions ORDER BY read_model, stream_id'),
      funnelLeads: await rows('SELECT * FROM funnel_leads ORDER BY tenant_id, lead_id'),
      funnelWins: await rows('SELECT * FROM funnel_wins ORDER BY tenant_id, opportunity_id, won_at'),
      funnelDaily: await rows(
        'SELECT * FROM funnel_daily ORDER BY tenant_id, captured_day, channel, campaign NULLS FIRST, source NULLS FIRST',
      ),
      funnelDailyByChannel: await rows(
        'SELECT * FROM funnel_daily_by_channel ORDER BY tenant_id, captured_day, channel',
      ),
      responseLeads: await rows('SELECT * FROM response_leads ORDER BY tenant_id, lead_id'),
      responseAssignments: await rows(
        'SELECT * FROM response_assignments ORDER BY tenant_id, lead_id, assigned_version',
      ),
      opportunityStates: await rows('SELECT * FROM opportunity_states ORDER BY tenant_id, opportunity_id, version'),
      stageVisits: await rows('SELECT * FROM opportunity_stage_visits ORDER BY tenant_id, opportunity_id, version'),
      channelCredits: await rows(
        'SELECT * FROM attribution_channel_credits ORDER BY tenant_id, opportunity_id, model, channel',
      ),
      campaignCredits: await rows(
        'SELECT * FROM attribution_campaign_credits ORDER BY tenant_id, opportunity_id, model, position',
      ),
      reopenings: await rows('SELECT * FROM attribution_reopenings ORDER BY tenant_id, opportunity_id'),
      campaignCosts: await rows('SELECT * FROM campaign_costs ORDER BY tenant_id, campaign, day'),
    };
  }

  it('gives the rows the live consumer built from a history of 2,000 leads, redeliveries included', async () => {
    const suffix = uniqueSuffix();
    const plans = planLeadHistory({
      leads: 2_000,
      tenants: [`acme-${suffix}`, `globex-${suffix}`, `initech-${suffix}`],
      seed: 20_250_314,
      from: new Date('2025-03-01T00:00:00Z'),
      days: 60,
    });
    const opportunities = planOpportunityHistory({ leads: plans, seed: 20_250_315 });
    // Attributions of won deals and campaign costs; the opportunity streams are the ones above.
    const attributions = planDealHistory({
      leads: plans,
      seed: 20_250_316,
      from: new Date('2025-03-01T00:00:00Z'),
      days: 60,
    }).filter((plan) => plan.aggregate === 'attribution');
    const total = [...plans, ...opportunities, ...attributions].reduce((sum, plan) => sum + plan.events.length, 0);

    // Live: the feed as the relay publishes it, each event applied as the Kafka consumer does, every
    // seventh delivered twice, while the history is still being appended.
    let applied = 0;
    const live = store.subscribeToFeed({
      from: START,
      maxBatch: 500,
      onEvents: async (events) => {
        for (const recorded of events) {
          const event = streamEventFromCloudEvent(toCloudEvent(recorded));
          await applyEvent({ pool, readModels, event });
          if (applied % 7 === 0) await applyEvent({ pool, readModels, event });
          applied += 1;
        }
      },
    });
    const appended = await appendLeadHistory({ store, plans });
    const dealEvents =
      (await appendOpportunityHistory({ store, plans: opportunities })) +
      (await appendStreamPlans({ store, plans: attributions }));
    expect(appended + dealEvents).toBe(total);
    await waitFor('the live read models to take every event', () => applied === total, { timeoutMs: 180_000 });
    await live.stop();
    const liveRows = await snapshot();
    // The rebuild pages through ids on both sides of 1,000, 10,000 and 100,000, where a text sort skipped 70 %.
    await spreadTransactionIdsAcrossDigits(pool);

    const report = await rebuildReadModels({ pool, store, readModels, pageSize: 700 });

    expect(report).toEqual({ events: total, skipped: [] });
    expect(await snapshot()).toEqual(liveRows);
    const { leads = [], timeline = [], funnelLeads = [], funnelWins = [], responseAssignments = [] } = liveRows;
    expect(leads).toHaveLength(2_000);
    expect(timeline).toHaveLength(appended);
    expect(funnelLeads).toHaveLength(2_000);
    expect(funnelWins.length).toBeGreaterThan(50);
    expect(funnelWins.some((row) => (row as { reopened_at: Date | null }).reopened_at !== null)).toBe(true);
    expect(responseAssignments.length).toBeGreaterThan(leads.length / 4);
    const { opportunityStates = [], channelCredits = [], campaignCosts = [], reopenings = [] } = liveRows;
    expect(opportunityStates.length).toBeGreaterThan(opportunities.length);
    expect(channelCredits.length).toBeGreaterThan(50);
    expect(campaignCosts.length).toBe(3 * 4 * 60);
    expect(reopenings.length).toBeGreaterThan(0);
    const statuses = new Set(leads.map((row) => (row as { status: string }).status));
    expect([...statuses].sort()).toEqual(
      ['assigned', 'captured', 'converted', 'disqualified', 'merged', 'mql', 'sql', 'working'].sort(),
    );
  }, 300_000);
});

describe('rebuilding from wide events', () => {
  let db: ProjectionsSchema;
  let pool: pg.Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_rebuild_wide');
    await migrateEventStore({ databaseUrl: db.databaseUrl, schema: db.schema });
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 4 });
    store = createPostgresEventStore({ pool, schema: db.schema });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('reads fewer of them a page, as many as fit the page data the page before measured', async () => {
    const tenantId = `acme-${uniqueSuffix()}`;
    // Captures as a CRM import might send them: every one the same size, ~3,000 characters of data.
    const customFields = Object.fromEntries(
      Array.from({ length: 5 }, (_, index) => [`field_${index}`, 'x'.repeat(500)]),
    );
    const captures = Array.from({ length: 1_200 }, () => {
      const leadId = randomUUID();
      return { leadId, data: { ...leadCapturedV1Example, leadId, tenantId, customFields } };
    });
    for (let start = 0; start < captures.length; start += 300) {
      await store.appendToStreams(
        captures.slice(start, start + 300).map(({ leadId, data }) => ({
          streamId: streamIdFor('lead', leadId),
          expectedVersion: 'no_stream' as const,
          events: [{ id: randomUUID(), type: 'LeadCaptured', data, metadata: { tenantId } }],
        })),
      );
    }
    const perEvent = JSON.stringify(captures[0]?.data).length;
    const read: number[] = [0];

    const report = await rebuildReadModels({
      pool,
      store,
      readModels,
      pageDataChars: 100_000,
      onProgress: (eventsRead) => read.push(eventsRead),
    });

    expect(report).toEqual({ events: 1_200, skipped: [] });
    const pages = read.slice(1).map((eventsRead, index) => eventsRead - (read[index] as number));
    // The first read knows no sizes; the ones after it take what fits, the last one the rest, then none.
    const fit = Math.floor(100_000 / perEvent);
    expect(fit).toBeLessThan(40);
    expect(pages[0]).toBe(500);
    expect(new Set(pages.slice(1, -2))).toEqual(new Set([fit]));
    expect(pages.slice(-2)).toEqual([700 % fit || fit, 0]);
    expect((await pool.query('SELECT count(*)::int AS n FROM leads')).rows).toEqual([{ n: 1_200 }]);
  });
});
