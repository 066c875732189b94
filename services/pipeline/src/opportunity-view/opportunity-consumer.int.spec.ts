import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipelineTestApp } from '../pipeline-test-app.fixture.ts';
import type { PipelineTestApp, TestTenant } from '../pipeline-test-app.fixture.ts';
import { opportunityViewConsumer } from './opportunity-consumer.ts';
import { startOpportunityTopic } from './opportunity-topic.fixture.ts';
import type { OpportunityTopic } from './opportunity-topic.fixture.ts';

describe('opportunity consumer', () => {
  let env: PipelineTestApp;
  let topic: OpportunityTopic;

  beforeAll(async () => {
    env = await startPipelineTestApp();
    topic = await startOpportunityTopic(env);
  });
  afterAll(async () => {
    await topic.close();
    await env.close();
  });

  async function movedOpportunity(): Promise<{ tenant: TestTenant; id: string }> {
    const tenant = await env.newTenant();
    const id = await env.openOpportunity(tenant, { amount: 10_000, expectedCloseDate: '2025-05-31' });
    const act = (action: string, body: object) =>
      env.request({ url: `/v1/opportunities/${id}/${action}`, apiKey: tenant.apiKey, body });
    await act('stage', { stageId: 'discovery', by: 'rep-ines' });
    await act('amount', { amount: 12_500.5 });
    return { tenant, id };
  }

  async function rowOf(id: string) {
    const result = await env.pool.query(
      `SELECT owner_id, stage_id, probability, forecast_category, amount::text AS amount, currency,
              to_char(close_date, 'YYYY-MM-DD') AS close_date, status, stalled, p.version::int AS last_version
         FROM pipeline_opportunities o
         JOIN consumer_positions p ON p.consumer = $2 AND p.stream_id = 'opportunity-' || o.opportunity_id::text
        WHERE o.opportunity_id = $1`,
      [id, opportunityViewConsumer],
    );
    return result.rows[0];
  }

  async function timersOf(id: string) {
    const result = await env.pool.query<{
      stage_id: string;
      entered_at: Date;
      due_at: Date;
      sla_days: number;
      cancelled: boolean;
    }>(
      `SELECT stage_id, entered_at, due_at, sla_days, cancelled_at IS NOT NULL AS cancelled
         FROM pipeline_stage_timers WHERE opportunity_id = $1 ORDER BY entered_at`,
      [id],
    );
    return result.rows;
  }

  it('keeps a row per opportunity and a timer per stage entry, and a redelivered event changes nothing', async () => {
    const { tenant, id } = await movedOpportunity();
    const events = await env.opportunityCloudEvents(tenant.tenantId);

    await topic.publish([...events, ...events]);
    await topic.caughtUp(env.pool, events);

    expect(await rowOf(id)).toEqual({
      owner_id: 'rep-ines',
      stage_id: 'discovery',
      probability: 25,
      forecast_category: 'pipeline',
      amount: '12500.5',
      currency: 'EUR',
      close_date: '2025-05-31',
      status: 'open',
      stalled: false,
      last_version: 3,
    });
    const entered = env.now;
    expect(await timersOf(id)).toEqual([
      {
        stage_id: 'qualification',
        entered_at: entered,
        due_at: new Date('2025-04-21T14:00:00.000Z'),
        sla_days: 14,
        cancelled: true,
      },
      {
        stage_id: 'discovery',
        entered_at: entered,
        due_at: new Date('2025-04-28T14:00:00.000Z'),
        sla_days: 21,
        cancelled: false,
      },
    ]);
  });

  it('takes the events it never received from the event store', async () => {
    const { tenant, id } = await movedOpportunity();
    const events = await env.opportunityCloudEvents(tenant.tenantId);

    await topic.publish(events.slice(-1));
    await topic.caughtUp(env.pool, events);

    expect(await rowOf(id)).toMatchObject({ stage_id: 'discovery', amount: '12500.5', last_version: 3 });
  });

  it('cancels the pending timer when the opportunity closes', async () => {
    const { tenant, id } = await movedOpportunity();
    await env.request({ url: `/v1/opportunities/${id}/win`, apiKey: tenant.apiKey, body: {} });
    const events = await env.opportunityCloudEvents(tenant.tenantId);

    await topic.publish(events);
    await topic.caughtUp(env.pool, events);

    expect(await rowOf(id)).toMatchObject({ status: 'won', last_version: 4 });
    expect((await timersOf(id)).every((timer) => timer.cancelled)).toBe(true);
  });

  it('handles the same event twice as one', async () => {
    const { tenant, id } = await movedOpportunity();
    const deliveries = env.deliveries(await env.opportunityCloudEvents(tenant.tenantId));

    for (const index of [0, 1, 1, 0, 2, 1]) await env.view.handle(deliveries[index] as (typeof deliveries)[number]);

    expect(await rowOf(id)).toMatchObject({ stage_id: 'discovery', amount: '12500.5', last_version: 3 });
    expect(await timersOf(id)).toHaveLength(2);
  });
});
