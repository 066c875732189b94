import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPool } from '@l2o/pg';
import { freshProjectionsSchema } from '../projections-schema.fixture.ts';
import type { ProjectionsSchema } from '../projections-schema.fixture.ts';
import { resetReadModels } from '../rebuild/rebuild-read-models.ts';
import { readModels } from '../read-models.ts';
import { applyEvent, StreamGapError } from './apply-event.ts';
import { planLeadHistory, projectedEventsOf } from './lead-history.fixture.ts';
import type { ProjectedEvent } from './read-model.ts';

describe('applying events to the read models', () => {
  let db: ProjectionsSchema;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_apply');
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 2 });
  });
  beforeEach(async () => {
    await resetReadModels({ pool, readModels });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  async function snapshot(): Promise<unknown[][]> {
    return Promise.all(
      ['leads', 'lead_timeline', 'read_model_positions'].map(
        async (table) => (await pool.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3`)).rows,
      ),
    );
  }

  /** The events of a small seeded history of a few leads, merges and ownership changes included. */
  function history(seed: number): ProjectedEvent[] {
    const plans = planLeadHistory({
      leads: 4,
      tenants: ['acme'],
      seed,
      from: new Date('2025-03-01T00:00:00Z'),
      days: 3,
    });
    return projectedEventsOf(plans);
  }

  async function applyAll(events: readonly ProjectedEvent[]): Promise<void> {
    for (const event of events) await applyEvent({ pool, readModels, event });
  }

  it('gives the same rows however often Kafka redelivers, from wherever a consumer restarts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }),
        async (seed, restarts) => {
          const events = history(seed);
          await resetReadModels({ pool, readModels });
          await applyAll(events);
          const once = await snapshot();

          // At-least-once: after event `at`, a consumer restarts from an earlier offset `from` and applies again.
          await resetReadModels({ pool, readModels });
          const replays = new Map(
            restarts.map(([at, back]) => [at % events.length, back % ((at % events.length) + 1)]),
          );
          for (const [index, event] of events.entries()) {
            await applyEvent({ pool, readModels, event });
            const from = replays.get(index);
            if (from !== undefined) await applyAll(events.slice(index - from, index + 1));
          }

          expect(await snapshot()).toEqual(once);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('refuses the next event of a lead whose event was lost, changing nothing, and takes it once the loss is made up', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 30 }), fc.nat(), async (seed, pick) => {
        const events = history(seed);
        const later = events.filter((event) => event.streamVersion >= 2);
        const lost = later[pick % later.length] as ProjectedEvent;
        const next = events.find(
          (event) => event.streamId === lost.streamId && event.streamVersion === lost.streamVersion + 1,
        );
        fc.pre(next !== undefined);
        await resetReadModels({ pool, readModels });
        await applyAll(events.slice(0, events.indexOf(lost)));
        const before = await snapshot();

        const failure = applyEvent({ pool, readModels, event: next as ProjectedEvent });

        await expect(failure).rejects.toBeInstanceOf(StreamGapError);
        await expect(failure).rejects.toThrow(
          `received version ${lost.streamVersion + 1} but the last applied is ${lost.streamVersion - 1}`,
        );
        expect(await snapshot()).toEqual(before);
        await applyEvent({ pool, readModels, event: lost });
        const applied = await applyEvent({ pool, readModels, event: next as ProjectedEvent });
        // Every model that follows lead streams takes it, the funnel and response ones included.
        expect(applied).toMatchObject({ leads: 'applied', lead_timeline: 'applied' });
        expect(new Set(Object.values(applied))).toEqual(new Set(['applied']));
      }),
      { numRuns: 15 },
    );
  });
});
