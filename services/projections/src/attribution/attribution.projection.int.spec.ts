import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributionCalculatedV1Example, campaignCostRecordedV1Example, maxMoneyAmount } from '@l2o/contracts';
import { createPool } from '@l2o/pg';
import { dealEvents } from '../pipeline/deal-events.fixture.ts';
import { freshProjectionsSchema } from '../projections-schema.fixture.ts';
import type { ProjectionsSchema } from '../projections-schema.fixture.ts';
import { resetReadModels } from '../rebuild/rebuild-read-models.ts';
import { applyEvent } from '../read-model/apply-events.ts';
import { streamEvents } from '../read-model/stream-events.fixture.ts';
import type { StreamEvent } from '@l2o/stream-consumer';
import { attributionReadModel } from './attribution.projection.ts';

describe('the attribution read model', () => {
  let db: ProjectionsSchema;
  let pool: pg.Pool;
  const readModels = [attributionReadModel];
  const tables = [
    'attribution_channel_credits',
    'attribution_campaign_credits',
    'attribution_reopenings',
    'campaign_costs',
  ];

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_attribution');
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  async function snapshot(): Promise<unknown[][]> {
    return Promise.all(
      tables.map(async (table) => (await pool.query(`SELECT * FROM ${table} AS t ORDER BY t::text`)).rows),
    );
  }

  async function applyAll(events: readonly StreamEvent[], times: number): Promise<void> {
    for (const event of events)
      for (let time = 0; time < times; time += 1) await applyEvent({ pool, readModels, event });
  }

  it('gives the same rows when every event is delivered twice, or the whole history again', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 30 }), async (seed) => {
        const events = dealEvents({ seed, leads: 200, tenantId: `acme-${randomUUID()}` }).dealEvents;
        await resetReadModels({ pool, readModels });
        await applyAll(events, 1);
        const once = await snapshot();
        expect(once[3]?.length).toBeGreaterThan(0);

        await resetReadModels({ pool, readModels });
        await applyAll(events, 2);
        await applyAll(events, 1);

        expect(await snapshot()).toEqual(once);
      }),
      { numRuns: 4 },
    );
  });

  it('keeps only the latest revision of each deal and model, and the day’s latest cost', async () => {
    const events = dealEvents({ seed: 11, leads: 300, tenantId: `acme-${randomUUID()}` }).dealEvents;
    await resetReadModels({ pool, readModels });
    await applyAll(events, 1);

    const latest = new Map<string, number>();
    const costs = new Map<string, number>();
    for (const event of events) {
      if (event.type === 'AttributionCalculated') {
        const { opportunityId, model, revision } = event.data;
        latest.set(`${opportunityId}/${model}`, revision);
      }
      if (event.type === 'CampaignCostRecorded')
        costs.set(`${event.data.campaign}/${event.data.date}`, event.data.amount);
    }
    const revisions = await pool.query<{ key: string; revision: number }>(
      `SELECT DISTINCT opportunity_id || '/' || model AS key, revision FROM attribution_channel_credits`,
    );
    expect(new Map(revisions.rows.map((row) => [row.key, row.revision]))).toEqual(latest);
    const stored = await pool.query<{ key: string; amount: number }>(
      `SELECT campaign || '/' || day::text AS key, amount::float8 AS amount FROM campaign_costs`,
    );
    expect(new Map(stored.rows.map((row) => [row.key, row.amount]))).toEqual(costs);
  });

  it('keeps credits and costs at the largest amount the APIs accept to the cent', async () => {
    const tenantId = `acme-${randomUUID()}`;
    const opportunityId = randomUUID();
    // 99,999,999,999,999 cents split 40/20/40 to the cent, as the models split it.
    const shares = [399_999_999_999.99, 200_000_000_000.01, 399_999_999_999.99];
    const example = attributionCalculatedV1Example;
    const calculated = {
      ...example,
      opportunityId,
      amount: maxMoneyAmount,
      credits: example.credits.map((credit, index) => ({ ...credit, amount: shares[index] })),
      byChannel: example.byChannel.map((credit, index) => ({ ...credit, amount: shares[index] })),
      byCampaign: example.byCampaign.map((credit, index) => ({ ...credit, amount: shares[index] })),
    };
    const events = [
      ...streamEvents({
        aggregate: 'attribution',
        id: opportunityId,
        tenantId,
        events: [{ type: 'AttributionCalculated', at: '2025-06-27T16:20:01Z', data: calculated }],
      }),
      ...streamEvents({
        aggregate: 'attribution',
        id: randomUUID(),
        tenantId,
        events: [
          {
            type: 'CampaignCostRecorded',
            at: '2025-04-03T06:00:00Z',
            data: { ...campaignCostRecordedV1Example, amount: maxMoneyAmount },
          },
        ],
      }),
    ];

    await applyAll(events, 1);

    const amounts = async (table: string) =>
      (
        await pool.query<{ amount: string }>(
          `SELECT amount::text AS amount FROM ${table} WHERE tenant_id = $1 ORDER BY amount DESC`,
          [tenantId],
        )
      ).rows.map((row) => row.amount);
    const split = ['399999999999.99', '399999999999.99', '200000000000.01'];
    expect(await amounts('attribution_channel_credits')).toEqual(split);
    expect(await amounts('attribution_campaign_credits')).toEqual(split);
    expect(await amounts('campaign_costs')).toEqual(['999999999999.99']);
  });
});
