import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '@l2o/bus';
import type { ConsumedEvent } from '@l2o/bus';
import type { EventStore } from '@l2o/event-store';
import { startRoutingTestEnv, teamRouting } from '../routing-test-app.fixture.ts';
import type { RoutingTestEnv } from '../routing-test-app.fixture.ts';

describe('routing’s lead consumer on the consumer kit', () => {
  let env: RoutingTestEnv;

  beforeAll(async () => {
    env = await startRoutingTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  /** A tenant with the team routing and `count` British leads, qualified. */
  async function qualifiedLeads(count: number): Promise<{ tenantId: string; apiKey: string; leadIds: string[] }> {
    const { tenantId, apiKey } = await env.newTenant();
    await env.configure(tenantId, teamRouting());
    const leadIds: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const leadId = await env.captureLead({ tenantId, country: 'GB' });
      await env.qualifyLead({ tenantId, leadId });
      leadIds.push(leadId);
    }
    return { tenantId, apiKey, leadIds };
  }

  async function batchOf(leadIds: readonly string[]): Promise<ConsumedEvent[]> {
    return (await Promise.all(leadIds.map((leadId) => env.consumedOf(leadId)))).flat();
  }

  async function assignmentsOf(leadId: string): Promise<Array<Record<string, unknown>>> {
    return (await env.eventsOf(leadId)).filter((event) => event.type === 'LeadAssigned').map((event) => event.data);
  }

  /** Everything routing keeps for a tenant, to compare before and after. */
  async function routingState(tenantId: string): Promise<unknown> {
    const query = async (sql: string) => (await env.pool.query(sql, [tenantId])).rows;
    return {
      leads: await query('SELECT * FROM routing_leads WHERE tenant_id = $1 ORDER BY lead_id'),
      loads: await query('SELECT * FROM routing_rep_loads WHERE tenant_id = $1 ORDER BY rep_id'),
      pools: await query('SELECT pool_id, state FROM routing_pools WHERE tenant_id = $1 ORDER BY pool_id'),
      timers: await query('SELECT * FROM routing_timers WHERE tenant_id = $1 ORDER BY lead_id, assigned_at'),
      positions: await query('SELECT * FROM consumer_positions WHERE tenant_id = $1 ORDER BY stream_id'),
      events: await query(`SELECT count(*)::int FROM events WHERE metadata->>'tenantId' = $1`),
    };
  }

  it('back-fills the events a gap misses from the event store and routes on them', async () => {
    const { leadIds } = await qualifiedLeads(1);
    const [leadId = ''] = leadIds;
    const [, , qualified] = await env.consumedOf(leadId);
    if (qualified === undefined) throw new Error('the lead has captured, scored and qualified events');

    // Versions 1 and 2 never arrive: the capture carries the country that routes the lead to the uk pool.
    await env.leadConsumer().handleBatch([qualified]);

    expect(await assignmentsOf(leadId)).toMatchObject([{ poolId: 'uk', ruleId: 'uk', ownerId: 'ana' }]);
    const row = await env.pool.query('SELECT attributes FROM routing_leads WHERE lead_id = $1', [leadId]);
    expect(row.rows[0]?.attributes).toMatchObject({ country: 'GB', score: 80 });
  });

  it('changes nothing when a whole batch is redelivered after its commit (a crash before the offset commit)', async () => {
    const { tenantId, leadIds } = await qualifiedLeads(3);
    const batch = await batchOf(leadIds);
    const consumer = env.leadConsumer();
    await consumer.handleBatch(batch);
    const before = await routingState(tenantId);

    await env.leadConsumer().handleBatch(batch);

    expect(await routingState(tenantId)).toEqual(before);
    for (const leadId of leadIds) expect(await assignmentsOf(leadId)).toHaveLength(1);
  });

  it('isolates a poison message: the batch fails whole, one by one the good ones apply once', async () => {
    const { leadIds } = await qualifiedLeads(2);
    const [first = [], second = []] = await Promise.all(leadIds.map((leadId) => env.consumedOf(leadId)));
    const poisonLead = (await qualifiedLeads(1)).leadIds[0] ?? '';
    const [poisonCapture] = await env.consumedOf(poisonLead);
    if (poisonCapture === undefined) throw new Error('the poison lead has a capture');
    const poison: ConsumedEvent = {
      ...poisonCapture,
      event: { ...poisonCapture.event, data: { ...(poisonCapture.event.data as object), touchpoint: 'nowhere' } },
    };
    const batch = [...first, poison, ...second];
    const consumer = env.leadConsumer();

    await expect(consumer.handleBatch(batch)).rejects.toBeInstanceOf(PermanentError);
    const afterBatch = await Promise.all(leadIds.map(assignmentsOf));
    const outcomes: Array<PromiseSettledResult<void>> = [];
    for (const message of batch) outcomes.push(...(await Promise.allSettled([consumer.handle(message)])));

    expect(afterBatch).toEqual([[], []]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(
      batch.map((message) => (message === poison ? 'rejected' : 'fulfilled')),
    );
    expect(outcomes.find((outcome) => outcome.status === 'rejected')).toMatchObject({
      reason: expect.any(PermanentError),
    });
    for (const leadId of leadIds) expect(await assignmentsOf(leadId)).toHaveLength(1);
    expect(await assignmentsOf(poisonLead)).toEqual([]);
  });

  it('keeps an assignment whose send failed after the commit and sends it once from the outbox', async () => {
    const { tenantId, leadIds } = await qualifiedLeads(1);
    const [leadId = ''] = leadIds;
    const unreachable: Pick<EventStore, 'readStreams' | 'appendToStreams'> = {
      readStreams: (requests) => env.store.readStreams(requests),
      appendToStreams: () => Promise.reject(new Error('event store unreachable')),
    };

    await env.leadConsumer({ pool: env.pool, store: unreachable }).handleBatch(await env.consumedOf(leadId));
    const unsent = await assignmentsOf(leadId);
    const sweeper = env.leadConsumer();
    const swept = [await sweeper.sweepOutbox({ minAgeMs: 0 }), await sweeper.sweepOutbox({ minAgeMs: 0 })];

    expect(unsent).toEqual([]);
    expect(swept).toEqual([1, 0]);
    expect(await assignmentsOf(leadId)).toMatchObject([{ ownerId: 'ana', poolId: 'uk' }]);
    const reserved = await env.pool.query('SELECT owner_id, open FROM routing_leads WHERE tenant_id = $1', [tenantId]);
    expect(reserved.rows).toEqual([{ owner_id: 'ana', open: true }]);
  });

  it('converges when the Lead refuses a reservation because an admin assigned the lead first', async () => {
    const { tenantId, apiKey, leadIds } = await qualifiedLeads(1);
    const [leadId = ''] = leadIds;
    const unreachable: Pick<EventStore, 'readStreams' | 'appendToStreams'> = {
      readStreams: (requests) => env.store.readStreams(requests),
      appendToStreams: () => Promise.reject(new Error('event store unreachable')),
    };
    // Routing reserves ana, and its AssignLead stays in the outbox while an admin gives the lead to cy.
    await env.leadConsumer({ pool: env.pool, store: unreachable }).handleBatch(await env.consumedOf(leadId));
    env.advance(1);
    const manual = await env.request({
      url: `/v1/leads/${leadId}/assign`,
      apiKey,
      body: { ownerId: 'cy', poolId: 'shared' },
    });
    const consumer = env.leadConsumer();
    await consumer.sweepOutbox({ minAgeMs: 0 });

    const messages = await env.consumedOf(leadId);
    await consumer.handleBatch(messages.slice(3));

    expect(manual.statusCode, manual.body).toBe(200);
    expect(await assignmentsOf(leadId)).toMatchObject([{ ownerId: 'cy', reason: 'manual' }]);
    const lead = await env.pool.query('SELECT owner_id, open, reservation FROM routing_leads WHERE lead_id = $1', [
      leadId,
    ]);
    expect(lead.rows).toEqual([{ owner_id: 'cy', open: true, reservation: null }]);
    const loads = await env.pool.query(
      'SELECT rep_id, open_leads, assigned_today FROM routing_rep_loads WHERE tenant_id = $1 ORDER BY rep_id',
      [tenantId],
    );
    expect(loads.rows).toEqual([
      { rep_id: 'ana', open_leads: 0, assigned_today: 0 },
      { rep_id: 'cy', open_leads: 1, assigned_today: 1 },
    ]);
    const timers = await env.pool.query(
      'SELECT owner_id, cancelled_at IS NOT NULL AS cancelled FROM routing_timers WHERE lead_id = $1 ORDER BY owner_id',
      [leadId],
    );
    expect(timers.rows).toEqual([
      { owner_id: 'ana', cancelled: true },
      { owner_id: 'cy', cancelled: false },
    ]);
  });
});
