import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPool } from '@l2o/pg';
import { waitFor } from '@l2o/testing';
import { StreamGapError, streamEventFromCloudEvent } from '@l2o/stream-consumer';
import type { StreamEvent } from '@l2o/stream-consumer';
import { leadActivityRecordedEvent, leadCapturedEvent, leadTouchRecordedEvent } from '../leads/lead-event.fixture.ts';
import { dealEvents } from '../pipeline/deal-events.fixture.ts';
import { freshProjectionsSchema } from '../projections-schema.fixture.ts';
import type { ProjectionsSchema } from '../projections-schema.fixture.ts';
import { resetReadModels } from '../rebuild/rebuild-read-models.ts';
import { readModels } from '../read-models.ts';
import { applyEvent, applyEvents, applyEventsInTransaction } from './apply-events.ts';
import { ReadModelPositionsMovedError } from './read-model-positions.repository.ts';
import { planLeadHistory, streamEventsOf } from './lead-history.fixture.ts';

describe('applying events to the read models', () => {
  let db: ProjectionsSchema;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_apply');
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 3 });
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
  function history(seed: number): StreamEvent[] {
    const plans = planLeadHistory({
      leads: 4,
      tenants: ['acme'],
      seed,
      from: new Date('2025-03-01T00:00:00Z'),
      days: 3,
    });
    return streamEventsOf(plans);
  }

  async function applyAll(events: readonly StreamEvent[]): Promise<void> {
    for (const event of events) await applyEvent({ pool, readModels, event });
  }

  /** Every row of every read model and every position, in a stable order. */
  async function everyRow(): Promise<Record<string, unknown[]>> {
    const tables = [...readModels.flatMap((model) => model.tables), 'read_model_positions'];
    const rows = await Promise.all(
      tables.map(async (table) => (await pool.query(`SELECT * FROM ${table} AS t ORDER BY t::text`)).rows),
    );
    return Object.fromEntries(tables.map((table, index) => [table, rows[index] ?? []]));
  }

  /** Both histories merged as two topics might deliver them: each stream in order, the two interleaved by `picks`. */
  function interleaved(first: readonly StreamEvent[], second: readonly StreamEvent[], picks: readonly boolean[]) {
    const merged: StreamEvent[] = [];
    let [a, b] = [0, 0];
    for (let pick = 0; a < first.length || b < second.length; pick += 1) {
      const fromFirst = b >= second.length || (a < first.length && (picks[pick % Math.max(1, picks.length)] ?? true));
      merged.push((fromFirst ? first[a++] : second[b++]) as StreamEvent);
    }
    return merged;
  }

  it('gives the rows of one event at a time whatever batches the events come in, redelivered batches included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 50 }),
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (seed, picks, sizes, redelivered) => {
          const history = dealEvents({ seed, leads: 24, tenantId: 'acme' });
          const events = interleaved(history.leadEvents, history.dealEvents, picks);
          await resetReadModels({ pool, readModels });
          await applyAll(events);
          const oneByOne = await everyRow();

          await resetReadModels({ pool, readModels });
          const batches: StreamEvent[][] = [];
          for (let start = 0, index = 0; start < events.length; index += 1) {
            const size = sizes[index % sizes.length] as number;
            batches.push(events.slice(start, start + size));
            start += size;
          }
          const crashes = new Set(redelivered.map((at) => at % batches.length));
          for (const [index, batch] of batches.entries()) {
            await applyEvents({ pool, readModels, events: batch });
            // A crash after the commit and before the offsets: the batch, and the one before, come again.
            if (crashes.has(index)) {
              await applyEvents({ pool, readModels, events: [...(batches[index - 1] ?? []), ...batch] });
            }
          }

          expect(await everyRow()).toEqual(oneByOne);
        },
      ),
      { numRuns: 8 },
    );
  });

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
        const lost = later[pick % later.length] as StreamEvent;
        const next = events.find(
          (event) => event.streamId === lost.streamId && event.streamVersion === lost.streamVersion + 1,
        );
        fc.pre(next !== undefined);
        await resetReadModels({ pool, readModels });
        await applyAll(events.slice(0, events.indexOf(lost)));
        const before = await snapshot();

        const failure = applyEvent({ pool, readModels, event: next as StreamEvent });

        await expect(failure).rejects.toBeInstanceOf(StreamGapError);
        await expect(failure).rejects.toThrow(
          `received version ${lost.streamVersion + 1} but the last applied is ${lost.streamVersion - 1}`,
        );
        expect(await snapshot()).toEqual(before);
        await applyEvent({ pool, readModels, event: lost });
        const applied = await applyEvent({ pool, readModels, event: next as StreamEvent });
        // Every model that follows lead streams takes it, the funnel and response ones included.
        expect(applied).toMatchObject({ leads: 'applied', lead_timeline: 'applied' });
        expect(new Set(Object.values(applied))).toEqual(new Set(['applied']));
      }),
      { numRuns: 15 },
    );
  });

  describe('when two deliveries of a stream overlap (a rebalance, or the consumer beside a rebuild)', () => {
    /** A captured lead, and its next two events, as read models receive them. */
    async function capturedLead() {
      const captured = leadCapturedEvent();
      await applyEvent({ pool, readModels, event: streamEventFromCloudEvent(captured) });
      return {
        touch: streamEventFromCloudEvent(leadTouchRecordedEvent({ lead: captured, streamversion: 2 })),
        activity: streamEventFromCloudEvent(leadActivityRecordedEvent({ lead: captured, streamversion: 3 })),
        leadId: captured.subject,
      };
    }

    /** Resolves once a backend waits for a lock that `client`'s transaction holds. */
    async function blockedBy(client: pg.PoolClient): Promise<void> {
      const { pid } = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0] as {
        pid: number;
      };
      await waitFor('the second delivery to wait for the first', async () => {
        const waiting = await pool.query('SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [pid]);
        return (waiting.rowCount ?? 0) > 0;
      });
    }

    async function versionOf(leadId: string): Promise<number | undefined> {
      return (await pool.query<{ version: number }>('SELECT version FROM leads WHERE lead_id = $1', [leadId])).rows[0]
        ?.version;
    }

    it('makes the later one wait, find its positions moved and retry, which then skips what the first applied', async () => {
      const { touch, activity, leadId } = await capturedLead();
      const first = await pool.connect();
      try {
        await first.query('BEGIN');
        await applyEventsInTransaction({ client: first, readModels, events: [touch] });
        const second = applyEvents({ pool, readModels, events: [touch, activity] });
        second.catch(() => undefined);
        await blockedBy(first);
        await first.query('COMMIT');

        await expect(second).rejects.toBeInstanceOf(ReadModelPositionsMovedError);
        await expect(second).rejects.toMatchObject({ code: '40001' });
      } finally {
        first.release();
      }
      expect(await versionOf(leadId)).toBe(2);
      expect(await applyEvents({ pool, readModels, events: [touch, activity] })).toMatchObject({
        leads: { applied: 1, duplicates: 1 },
        lead_timeline: { applied: 1, duplicates: 1 },
      });
      expect(await versionOf(leadId)).toBe(3);
    });

    it('takes for no gap an event whose predecessor another delivery is committing', async () => {
      const { touch, activity, leadId } = await capturedLead();
      const first = await pool.connect();
      try {
        await first.query('BEGIN');
        await applyEventsInTransaction({ client: first, readModels, events: [touch] });
        const second = applyEvents({ pool, readModels, events: [activity] });
        await blockedBy(first);
        await first.query('COMMIT');

        expect(await second).toMatchObject({ leads: { applied: 1, duplicates: 0 } });
      } finally {
        first.release();
      }
      expect(await versionOf(leadId)).toBe(3);
    });
  });
});
