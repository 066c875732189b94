import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventHandler } from '@l2o/bus';
import { onLeadEvent } from '../lead-events/on-lead-event.ts';
import { saveRep } from '../routing-config/routing-config.repository.ts';
import { startRoutingTestEnv, teamRouting, testRep } from '../routing-test-app.fixture.ts';
import type { Replica, RoutingTestEnv } from '../routing-test-app.fixture.ts';
import { retryWaitingLeads } from './retry-waiting-leads.ts';

describe('assigning qualified leads', () => {
  let env: RoutingTestEnv;

  beforeAll(async () => {
    env = await startRoutingTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  const handlerOn = (replica: Pick<Replica, 'pool' | 'store'>): EventHandler =>
    onLeadEvent({ ...replica, logger: env.logger, clock: env.clock, waitingRetryMs: 60_000 });

  // Each lead's events in stream order, as one partition delivers them.
  async function deliver(handle: EventHandler, leadId: string): Promise<void> {
    for (const event of await env.cloudEventsOf(leadId)) {
      await handle({ event, topic: 'l2o.lead.v1', partition: 0, offset: '0', key: leadId, attempt: 1 });
    }
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

  it('never gives a rep more open leads than their cap when 20 leads qualify at once on two replicas', async () => {
    const { tenantId } = await env.newTenant();
    const caps: Record<string, number> = { ana: 2, ben: 5, cy: 3 };
    await env.configure(
      tenantId,
      teamRouting({ reps: Object.entries(caps).map(([id, cap]) => testRep(id, { maxOpenLeads: cap })) }),
    );
    const leadIds = await qualifiedLeads(tenantId, 20);
    const handlers = [handlerOn(env.newReplica()), handlerOn(env.newReplica())];

    await Promise.all(leadIds.map((leadId, index) => deliver(handlers[index % 2] as EventHandler, leadId)));

    const owners = await ownersOf(leadIds);
    const perRep = Object.fromEntries(
      Object.keys(caps).map((repId) => [repId, owners.filter((owner) => owner === repId).length]),
    );
    expect(perRep).toEqual(caps);
    const waiting = await env.pool.query('SELECT 1 FROM routing_leads WHERE tenant_id = $1 AND waiting IS NOT NULL', [
      tenantId,
    ]);
    expect(waiting.rowCount).toBe(20 - 10);
  });

  it('sends the same assignment again for a redelivered LeadQualified and counts it once', async () => {
    const { tenantId } = await env.newTenant();
    await env.configure(tenantId, teamRouting());
    const [leadId = ''] = await qualifiedLeads(tenantId, 1);
    const handle = handlerOn(env);

    await deliver(handle, leadId);
    await deliver(handle, leadId);

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
    await deliver(handlerOn(env), leadId);
    const before = await ownersOf([leadId]);

    await saveRep(env.pool, { tenantId, rep: { ...full, maxOpenLeads: 1 } });
    env.advance(2);
    await retryWaitingLeads({
      pool: env.pool,
      store: env.store,
      logger: env.logger,
      waitingRetryMs: 60_000,
      now: env.clock(),
    });

    expect(before).toEqual([]);
    expect(await ownersOf([leadId])).toEqual(['ana']);
    const row = await env.pool.query('SELECT waiting FROM routing_leads WHERE lead_id = $1', [leadId]);
    expect(row.rows[0]).toEqual({ waiting: null });
  });
});
