import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumedEvent } from '@l2o/bus';
import type { StreamConsumerHandlers } from '@l2o/stream-consumer';
import { saveRep } from '../routing-config/routing-config.repository.ts';
import { startRoutingTestEnv, teamRouting, testRep } from '../routing-test-app.fixture.ts';
import type { RoutingTestEnv } from '../routing-test-app.fixture.ts';
import { retryWaitingLeads } from './retry-waiting-leads.ts';

describe('assigning qualified leads', () => {
  let env: RoutingTestEnv;

  beforeAll(async () => {
    env = await startRoutingTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  // Each lead's events in stream order, one message at a time, as the bus's fallback hands them over.
  async function deliver(consumer: StreamConsumerHandlers, leadId: string): Promise<void> {
    for (const message of await env.consumedOf(leadId)) await consumer.handle(message);
  }

  // The leads' events as one partition's batch: interleaved across leads, each lead in order.
  async function batchOf(leadIds: readonly string[]): Promise<ConsumedEvent[]> {
    const streams = await Promise.all(leadIds.map((leadId) => env.consumedOf(leadId)));
    const longest = Math.max(...streams.map((stream) => stream.length));
    return Array.from({ length: longest }, (_, index) =>
      streams.flatMap((stream) => stream.slice(index, index + 1)),
    ).flat();
  }

  async function qualifiedLeads(tenantId: string, count: number): Promise<string[]> {
    return Promise.all(
      Array.from({ length: count }, async () => {
        const leadId = await env.captureLead({ tenantId, country: 'FR' });
        await env.qualifyLead({ tenantId, leadId });
        return leadId;
      }),
    );
  }

  async function ownersOf(leadIds: string[]): Promise<string[]> {
    const owners: string[] = [];
    for (const leadId of leadIds) {
      for (const event of await env.eventsOf(leadId)) {
        if (event.type === 'LeadAssigned') owners.push(String(event.data.ownerId));
      }
    }
    return owners;
  }

  const caps: Record<string, number> = { ana: 2, ben: 5, cy: 3 };

  async function cappedTenant(): Promise<string> {
    const { tenantId } = await env.newTenant();
    await env.configure(
      tenantId,
      teamRouting({ reps: Object.entries(caps).map(([id, cap]) => testRep(id, { maxOpenLeads: cap })) }),
    );
    return tenantId;
  }

  async function expectCapsHeld(tenantId: string, leadIds: string[]): Promise<void> {
    const owners = await ownersOf(leadIds);
    const perRep = Object.fromEntries(
      Object.keys(caps).map((repId) => [repId, owners.filter((owner) => owner === repId).length]),
    );
    expect(perRep).toEqual(caps);
    const waiting = await env.pool.query('SELECT 1 FROM routing_leads WHERE tenant_id = $1 AND waiting IS NOT NULL', [
      tenantId,
    ]);
    expect(waiting.rowCount).toBe(20 - 10);
  }

  it('never gives a rep more open leads than their cap when 20 leads qualify at once on two replicas', async () => {
    const tenantId = await cappedTenant();
    const leadIds = await qualifiedLeads(tenantId, 20);
    const consumers = [env.leadConsumer(env.newReplica()), env.leadConsumer(env.newReplica())];

    await Promise.all(leadIds.map((leadId, index) => deliver(consumers[index % 2] as StreamConsumerHandlers, leadId)));

    await expectCapsHeld(tenantId, leadIds);
  });

  it('holds the caps when two replicas each assign a batch of 10 leads at once', async () => {
    const tenantId = await cappedTenant();
    const leadIds = await qualifiedLeads(tenantId, 20);
    const consumers = [env.leadConsumer(env.newReplica()), env.leadConsumer(env.newReplica())];
    const batches = [await batchOf(leadIds.slice(0, 10)), await batchOf(leadIds.slice(10))];

    await Promise.all(consumers.map((consumer, index) => consumer.handleBatch(batches[index] ?? [])));

    await expectCapsHeld(tenantId, leadIds);
  });

  it('assigns a redelivered LeadQualified once and counts it once', async () => {
    const { tenantId } = await env.newTenant();
    await env.configure(tenantId, teamRouting());
    const [leadId = ''] = await qualifiedLeads(tenantId, 1);
    const consumer = env.leadConsumer();

    await deliver(consumer, leadId);
    await deliver(consumer, leadId);

    expect(await ownersOf([leadId])).toEqual(['ana']);
    const loads = await env.pool.query(
      'SELECT rep_id, open_leads, assigned_today FROM routing_rep_loads WHERE tenant_id = $1 AND rep_id = $2',
      [tenantId, 'ana'],
    );
    expect(loads.rows).toEqual([{ rep_id: 'ana', open_leads: 1, assigned_today: 1 }]);
  });

  it('keeps a lead nobody can take waiting and assigns it once a rep can', async () => {
    const { tenantId } = await env.newTenant();
    const full = testRep('ana', { maxOpenLeads: 0 });
    await env.configure(
      tenantId,
      teamRouting({
        reps: [full],
        pools: [{ id: 'shared', name: 'Shared', strategy: 'round_robin', members: [{ repId: 'ana', weight: 1 }] }],
      }),
    );
    await env.pool.query(`UPDATE routing_settings SET settings = settings || '{"rules": []}' WHERE tenant_id = $1`, [
      tenantId,
    ]);
    const [leadId = ''] = await qualifiedLeads(tenantId, 1);
    await deliver(env.leadConsumer(), leadId);
    const before = await ownersOf([leadId]);

    await saveRep(env.pool, { tenantId, rep: { ...full, maxOpenLeads: 1 } });
    env.advance(2);
    await retryWaitingLeads({
      handlers: env.leadConsumer(),
      logger: env.logger,
      waitingRetryMs: 60_000,
      now: env.clock(),
    });

    expect(before).toEqual([]);
    expect(await ownersOf([leadId])).toEqual(['ana']);
    const row = await env.pool.query('SELECT waiting FROM routing_leads WHERE lead_id = $1', [leadId]);
    expect(row.rows[0]).toEqual({ waiting: null });
  });

  it('assigns a batch’s leads in turn, as one lead per lock would', async () => {
    const { tenantId } = await env.newTenant();
    await env.configure(tenantId, teamRouting());
    const leadIds = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const leadId = await env.captureLead({ tenantId, country: 'GB' });
        await env.qualifyLead({ tenantId, leadId });
        return leadId;
      }),
    );

    await env.leadConsumer().handleBatch(await batchOf(leadIds));

    // The uk pool is a round robin of ana and ben: the batch takes their turns in partition order.
    expect(await ownersOf(leadIds)).toEqual(['ana', 'ben', 'ana', 'ben', 'ana']);
    const timers = await env.pool.query('SELECT count(*)::int AS count FROM routing_timers WHERE lead_id = ANY($1)', [
      leadIds,
    ]);
    expect(timers.rows[0]).toEqual({ count: 5 });
  });
});
