import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '@l2o/bus';
import type { ConsumedEvent } from '@l2o/bus';
import { startPipelineTestApp } from '../pipeline-test-app.fixture.ts';
import type { PipelineTestApp } from '../pipeline-test-app.fixture.ts';
import { opportunityViewConsumer } from './opportunity-consumer.ts';

describe('opportunity view batches', () => {
  let env: PipelineTestApp;

  beforeAll(async () => {
    env = await startPipelineTestApp();
  });
  afterAll(async () => {
    await env.close();
  });

  /** Two opportunities of a fresh tenant, one moved on a stage; their events as one partition delivers them. */
  async function twoOpportunities(): Promise<{ ids: [string, string]; deliveries: ConsumedEvent[] }> {
    const tenant = await env.newTenant();
    const first = await env.openOpportunity(tenant, { amount: 10_000 });
    const second = await env.openOpportunity(tenant, { amount: 20_000 });
    await env.request({
      url: `/v1/opportunities/${first}/stage`,
      apiKey: tenant.apiKey,
      body: { stageId: 'discovery', by: 'rep-ines' },
    });
    await env.request({ url: `/v1/opportunities/${first}/amount`, apiKey: tenant.apiKey, body: { amount: 12_500 } });
    await env.request({ url: `/v1/opportunities/${second}/win`, apiKey: tenant.apiKey, body: {} });
    return { ids: [first, second], deliveries: env.deliveries(await env.opportunityCloudEvents(tenant.tenantId)) };
  }

  /** Everything the view keeps of the opportunities: rows, timers, positions. */
  async function viewOf(ids: readonly string[]) {
    const [rows, timers, positions] = await Promise.all([
      env.pool.query(
        `SELECT opportunity_id::text AS id, stage_id, amount::text AS amount, status, stalled, entered_stage_at, closed_at
           FROM pipeline_opportunities WHERE opportunity_id = ANY($1::uuid[]) ORDER BY opportunity_id`,
        [ids],
      ),
      env.pool.query(
        `SELECT opportunity_id::text AS id, stage_id, entered_at, due_at, cancelled_at, fired_at, outcome
           FROM pipeline_stage_timers WHERE opportunity_id = ANY($1::uuid[]) ORDER BY opportunity_id, due_at`,
        [ids],
      ),
      env.pool.query(
        `SELECT stream_id, version::int AS version FROM consumer_positions
          WHERE consumer = $1 AND stream_id = ANY($2::text[]) ORDER BY stream_id`,
        [opportunityViewConsumer, ids.map((id) => `opportunity-${id}`)],
      ),
    ]);
    return { rows: rows.rows, timers: timers.rows, positions: positions.rows };
  }

  it('applies interleaved streams of one batch, each in order', async () => {
    const { ids, deliveries } = await twoOpportunities();

    await env.view.handleBatch(deliveries);

    const view = await viewOf(ids);
    expect(view.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: ids[0], stage_id: 'discovery', amount: '12500', status: 'open' }),
        expect.objectContaining({ id: ids[1], amount: '20000', status: 'won' }),
      ]),
    );
    expect(view.timers.filter((timer) => timer.cancelled_at === null).map((timer) => timer.stage_id)).toEqual([
      'discovery',
    ]);
    expect(view.positions.map((position) => position.version).sort()).toEqual([2, 3]);
  });

  it('back-fills the events a batch misses from the event store instead of skipping them', async () => {
    const { ids, deliveries } = await twoOpportunities();
    const firstStream = deliveries.filter((delivery) => delivery.event.subject === ids[0]);
    // Only the opening and the last event of the first opportunity arrive: its stage change is missing.
    const gapped = [firstStream[0], firstStream.at(-1)].filter((delivery) => delivery !== undefined);

    await env.view.handleBatch(gapped);

    const view = await viewOf([ids[0]]);
    expect(view.rows[0]).toMatchObject({ stage_id: 'discovery', amount: '12500' });
    expect(view.timers.map((timer) => [timer.stage_id, timer.cancelled_at !== null])).toEqual([
      ['qualification', true],
      ['discovery', false],
    ]);
    expect(view.positions).toEqual([{ stream_id: `opportunity-${ids[0]}`, version: 3 }]);
  });

  it('changes nothing when a whole batch is delivered again after a crash before the offsets were committed', async () => {
    const { ids, deliveries } = await twoOpportunities();
    await env.view.handleBatch(deliveries);
    const applied = await viewOf(ids);

    await env.view.handleBatch(deliveries);
    await env.view.handleBatch(deliveries.slice(1));

    expect(await viewOf(ids)).toEqual(applied);
  });

  it('isolates a poison message: the batch fails, one by one the others apply once and it is a permanent error', async () => {
    const { ids, deliveries } = await twoOpportunities();
    const other = await twoOpportunities();
    // The opening of another opportunity with data that breaks its schema, in the middle of the batch.
    const opening = other.deliveries.find((delivery) => delivery.event.subject === other.ids[0]);
    if (opening === undefined) throw new Error('the other opportunity has an opening');
    const data = { ...(opening.event.data as Record<string, unknown>), amount: 'lots' };
    const poison = { ...opening, event: { ...opening.event, data } };
    const batch = [...deliveries.slice(0, 2), poison, ...deliveries.slice(2)];

    await expect(env.view.handleBatch(batch)).rejects.toBeInstanceOf(PermanentError);
    expect(await viewOf([...ids, other.ids[0]])).toEqual({ rows: [], timers: [], positions: [] });

    const failures: unknown[] = [];
    for (const delivery of batch) await env.view.handle(delivery).catch((error: unknown) => failures.push(error));

    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(PermanentError);
    const view = await viewOf([...ids, other.ids[0]]);
    expect(view.rows.map((row) => row.id).sort()).toEqual([...ids].sort());
    expect(view.positions.map((position) => position.version).sort()).toEqual([2, 3]);
  });
});
