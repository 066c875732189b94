import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  maxMoneyAmount,
  opportunityAmountChangedV1Example,
  opportunityOpenedV1Example,
  opportunityWonV1Example,
} from '@l2o/contracts';
import { createPool } from '@l2o/pg';
import { freshProjectionsSchema } from '../projections-schema.fixture.ts';
import type { ProjectionsSchema } from '../projections-schema.fixture.ts';
import { resetReadModels } from '../rebuild/rebuild-read-models.ts';
import { applyEvent } from '../read-model/apply-events.ts';
import { streamEvents } from '../read-model/stream-events.fixture.ts';
import type { StreamEvent } from '@l2o/stream-consumer';
import { dealEvents } from './deal-events.fixture.ts';
import { pipelineReadModel } from './pipeline.projection.ts';

describe('the pipeline read model', () => {
  let db: ProjectionsSchema;
  let pool: pg.Pool;
  const readModels = [pipelineReadModel];

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_pipeline');
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  async function snapshot(): Promise<unknown[][]> {
    return Promise.all(
      ['opportunity_states', 'opportunity_stage_visits'].map(
        async (table) => (await pool.query(`SELECT * FROM ${table} ORDER BY tenant_id, opportunity_id, version`)).rows,
      ),
    );
  }

  async function applyAll(events: readonly StreamEvent[], times: number): Promise<void> {
    for (const event of events)
      for (let time = 0; time < times; time += 1) await applyEvent({ pool, readModels, event });
  }

  it('gives the same rows when every event is delivered twice, or the whole history again', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 30 }), async (seed) => {
        const events = dealEvents({ seed, leads: 200, tenantId: `acme-${randomUUID()}` }).dealEvents.filter(
          (event) => event.aggregate === 'opportunity',
        );
        await resetReadModels({ pool, readModels });
        await applyAll(events, 1);
        const once = await snapshot();
        expect(once[0]?.length).toBeGreaterThan(0);

        await resetReadModels({ pool, readModels });
        await applyAll(events, 2);
        await applyAll(events, 1);

        expect(await snapshot()).toEqual(once);
      }),
      { numRuns: 4 },
    );
  });

  it('keeps one current state per opportunity, the earlier ones closed where the next begins', async () => {
    const events = dealEvents({ seed: 7, leads: 80, tenantId: `acme-${randomUUID()}` }).dealEvents;
    await resetReadModels({ pool, readModels });
    await applyAll(events, 1);

    const broken = await pool.query(
      `SELECT opportunity_id FROM opportunity_states s
       GROUP BY opportunity_id HAVING count(*) FILTER (WHERE valid_to IS NULL) <> 1
       UNION ALL
       SELECT s.opportunity_id FROM opportunity_states s
       JOIN opportunity_states n ON n.opportunity_id = s.opportunity_id AND n.version = (
         SELECT min(version) FROM opportunity_states WHERE opportunity_id = s.opportunity_id AND version > s.version)
       WHERE s.valid_to IS DISTINCT FROM n.valid_from`,
    );
    expect(broken.rows).toEqual([]);
    const counts = await pool.query(
      'SELECT count(DISTINCT opportunity_id)::int AS deals, count(*)::int AS states FROM opportunity_states',
    );
    expect(counts.rows[0].states).toBeGreaterThan(counts.rows[0].deals);
  });

  it('keeps the largest amount the APIs accept to the cent, through every state folded from the stored one', async () => {
    const opportunityId = randomUUID();
    const events = streamEvents({
      aggregate: 'opportunity',
      id: opportunityId,
      tenantId: `acme-${randomUUID()}`,
      events: [
        {
          type: 'OpportunityOpened',
          at: '2025-04-07T14:05:00Z',
          data: { ...opportunityOpenedV1Example, amount: 999_999_999_999.98 },
        },
        {
          type: 'OpportunityAmountChanged',
          at: '2025-04-25T09:12:00Z',
          data: { ...opportunityAmountChangedV1Example, amount: maxMoneyAmount, previousAmount: 999_999_999_999.98 },
        },
        {
          type: 'OpportunityWon',
          at: '2025-06-27T16:20:00Z',
          data: { ...opportunityWonV1Example, amount: maxMoneyAmount },
        },
      ],
    });

    // One event per batch: each fold starts from the row the one before stored.
    await applyAll(events, 1);

    const states = await pool.query<{ amount: string; status: string }>(
      'SELECT amount::text AS amount, status FROM opportunity_states WHERE opportunity_id = $1 ORDER BY version',
      [opportunityId],
    );
    expect(states.rows).toEqual([
      { amount: '999999999999.98', status: 'open' },
      { amount: '999999999999.99', status: 'open' },
      { amount: '999999999999.99', status: 'won' },
    ]);
  });
});
