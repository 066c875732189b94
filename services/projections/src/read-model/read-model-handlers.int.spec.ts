import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '@l2o/bus';
import type { ConsumedEvent } from '@l2o/bus';
import type { CloudEvent } from '@l2o/contracts';
import { createPool } from '@l2o/pg';
import { createMetrics } from '@l2o/service-kit';
import { StreamGapError } from '@l2o/stream-consumer';
import { leadActivityRecordedEvent, leadCapturedEvent, leadTouchRecordedEvent } from '../leads/lead-event.fixture.ts';
import { freshProjectionsSchema } from '../projections-schema.fixture.ts';
import type { ProjectionsSchema } from '../projections-schema.fixture.ts';
import { readModels } from '../read-models.ts';
import { readModelHandlers } from './read-model-consumer.ts';

// The bus's side of a batch (see packages/bus): handleBatch with a partition's fetched messages, and on
// any failure handle with each message alone, which dead-letters only the one that fails for good.
describe('read model handlers', () => {
  let db: ProjectionsSchema;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_handlers');
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  function consumed(events: readonly CloudEvent[]): ConsumedEvent[] {
    return events.map((event, offset) => ({
      event,
      topic: 'l2o.lead.v1',
      partition: 0,
      offset: String(offset),
      key: event.subject,
      attempt: 1,
    }));
  }

  /** Every row of the tenant's leads in every read model following lead streams, and their positions. */
  async function rowsOf(tenantId: string): Promise<Record<string, unknown[]>> {
    const tables = ['leads', 'lead_timeline', 'funnel_leads', 'funnel_daily', 'response_leads'];
    const rows = await Promise.all(
      tables.map(
        async (table) =>
          (await pool.query(`SELECT * FROM ${table} AS t WHERE tenant_id = $1 ORDER BY t::text`, [tenantId])).rows,
      ),
    );
    const positions = await pool.query(
      'SELECT * FROM read_model_positions AS p WHERE tenant_id = $1 ORDER BY p::text',
      [tenantId],
    );
    return { ...Object.fromEntries(tables.map((table, index) => [table, rows[index]])), positions: positions.rows };
  }

  /** Two leads, each captured then touched or active, in partition order. */
  function twoLeads(tenantId: string): CloudEvent[] {
    const first = leadCapturedEvent({ tenantId });
    const second = leadCapturedEvent({ tenantId });
    return [
      first,
      second,
      leadTouchRecordedEvent({ lead: first, streamversion: 2 }),
      leadActivityRecordedEvent({ lead: second, streamversion: 2 }),
      leadActivityRecordedEvent({ lead: first, streamversion: 3 }),
    ];
  }

  it('changes nothing when a batch comes again after a crash between its commit and the offsets', async () => {
    const tenantId = `acme-${randomUUID()}`;
    const handlers = readModelHandlers({ pool, readModels });
    const batch = consumed(twoLeads(tenantId));

    await handlers.handleBatch(batch);
    const once = await rowsOf(tenantId);
    await handlers.handleBatch(batch);
    for (const message of batch) await handlers.handle(message);

    expect(await rowsOf(tenantId)).toEqual(once);
    expect(once.leads?.map((row) => (row as { version: number }).version).sort()).toEqual([2, 3]);
    expect(once.lead_timeline).toHaveLength(5);
  });

  it('refuses a batch with a gap, applying none of it, and takes the stream once the missing event comes', async () => {
    const tenantId = `acme-${randomUUID()}`;
    const metrics = createMetrics({ serviceName: 'l2o-projections' });
    const handlers = readModelHandlers({ pool, readModels, metrics });
    const lead = leadCapturedEvent({ tenantId });
    const missing = leadTouchRecordedEvent({ lead, streamversion: 2 });
    const beyond = leadActivityRecordedEvent({ lead, streamversion: 3 });
    const other = leadCapturedEvent({ tenantId });

    await expect(handlers.handleBatch(consumed([other, lead, beyond]))).rejects.toBeInstanceOf(StreamGapError);
    expect(await rowsOf(tenantId)).toMatchObject({ leads: [], lead_timeline: [], positions: [] });

    // One by one, as the bus falls back: the others apply, the one past the gap is refused again.
    await handlers.handle(consumed([other])[0] as ConsumedEvent);
    await handlers.handle(consumed([lead])[0] as ConsumedEvent);
    await expect(handlers.handle(consumed([beyond])[0] as ConsumedEvent)).rejects.toBeInstanceOf(StreamGapError);
    const gaps = await metrics.getSingleMetric('l2o_read_model_stream_gaps_total')?.get();
    expect(gaps?.values.find((value) => value.labels.read_model === 'leads')?.value).toBe(2);

    await handlers.handleBatch(consumed([missing, beyond]));
    const leads = await pool.query<{ lead_id: string; version: number }>(
      'SELECT lead_id::text AS lead_id, version FROM leads WHERE tenant_id = $1 ORDER BY version',
      [tenantId],
    );
    expect(leads.rows).toEqual([
      { lead_id: other.subject, version: 1 },
      { lead_id: lead.subject, version: 3 },
    ]);
  });

  it('moves past a type this build does not know (a newer producer), so its stream’s next event is no gap', async () => {
    const tenantId = `acme-${randomUUID()}`;
    const handlers = readModelHandlers({ pool, readModels });
    const lead = leadCapturedEvent({ tenantId });
    const newer = { ...leadTouchRecordedEvent({ lead, streamversion: 2 }), type: 'l2o.lead.nudged.v1', data: {} };
    const next = leadActivityRecordedEvent({ lead, streamversion: 3 });

    await handlers.handleBatch(consumed([lead, newer]));
    await handlers.handle(consumed([next])[0] as ConsumedEvent);

    const rows = await rowsOf(tenantId);
    expect(rows.leads).toEqual([expect.objectContaining({ version: 3, activity_count: 1, touch_count: 1 })]);
    expect(rows.lead_timeline?.map((row) => (row as { stream_version: number }).stream_version).sort()).toEqual([1, 3]);
    expect(rows.positions).toContainEqual(expect.objectContaining({ read_model: 'leads', version: 3 }));
  });

  it('refuses as permanent a type of no aggregate, applying nothing of its batch', async () => {
    const tenantId = `acme-${randomUUID()}`;
    const handlers = readModelHandlers({ pool, readModels });
    const lead = leadCapturedEvent({ tenantId });
    const intake = { ...leadCapturedEvent({ tenantId }), type: 'l2o.lead-intake.submitted.v1' };

    const failure = handlers.handleBatch(consumed([lead, intake]));

    await expect(failure).rejects.toBeInstanceOf(PermanentError);
    await expect(failure).rejects.toThrow(`${intake.type} is no aggregate's event`);
    expect(await rowsOf(tenantId)).toMatchObject({ leads: [], positions: [] });
  });

  it('isolates a poison message: the batch fails, then the good ones apply once and the bad one is permanent', async () => {
    const tenantId = `acme-${randomUUID()}`;
    const handlers = readModelHandlers({ pool, readModels });
    const [first, second, touch, activity, later] = twoLeads(tenantId) as [
      CloudEvent,
      CloudEvent,
      CloudEvent,
      CloudEvent,
      CloudEvent,
    ];
    const poisonLead = leadCapturedEvent({ tenantId });
    const poison = { ...poisonLead, data: { ...poisonLead.data, capturedAt: 'yesterday' } };
    const batch = consumed([first, second, poison, touch, activity, later]);

    await expect(handlers.handleBatch(batch)).rejects.toBeInstanceOf(PermanentError);
    expect(await rowsOf(tenantId)).toMatchObject({ leads: [], positions: [] });

    // One by one in partition order, as the bus falls back; then the good ones again, as a redelivery.
    const outcomes: unknown[] = [];
    for (const message of batch) {
      outcomes.push(
        await handlers.handle(message).then(
          () => 'ok',
          (error: unknown) => error,
        ),
      );
    }
    for (const [index, message] of batch.entries()) if (index !== 2) await handlers.handle(message);

    expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(5);
    expect(outcomes[2]).toBeInstanceOf(PermanentError);
    const timeline = await pool.query<{ lead_id: string; stream_version: number }>(
      'SELECT lead_id::text AS lead_id, stream_version FROM lead_timeline WHERE tenant_id = $1',
      [tenantId],
    );
    // Each good event once, in spite of being handled twice; nothing of the poisoned lead.
    expect(timeline.rows).toHaveLength(5);
    expect(timeline.rows.some((row) => row.lead_id === poisonLead.subject)).toBe(false);
  });
});
