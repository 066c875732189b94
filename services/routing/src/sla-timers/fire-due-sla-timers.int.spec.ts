import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PeriodicTask } from '@l2o/service-kit';
import { waitFor } from '@l2o/testing';
import { startRoutingTestEnv, teamRouting } from '../routing-test-app.fixture.ts';
import type { Replica, RoutingTestEnv } from '../routing-test-app.fixture.ts';
import { createSlaTimerTask } from './fire-due-sla-timers.ts';

describe('first-response SLA timers', () => {
  let env: RoutingTestEnv;

  beforeAll(async () => {
    env = await startRoutingTestEnv();
    const kafka = await env.startKafka();
    await kafka.startConsumer();
  });
  afterAll(async () => {
    await env.close();
  });

  const pollerOn = (replica: Pick<Replica, 'pool' | 'store'>, intervalMs = 60_000): PeriodicTask =>
    createSlaTimerTask({ handlers: env.leadConsumer(replica), clock: env.clock, logger: env.logger, intervalMs });

  /** A British lead of a fresh tenant, assigned (30-minute SLA) with its timer set. */
  async function assignedLead(): Promise<{ tenantId: string; apiKey: string; leadId: string; ownerId: string }> {
    const { tenantId, apiKey } = await env.newTenant();
    await env.configure(tenantId, teamRouting());
    const leadId = await env.captureLead({ tenantId, country: 'GB' });
    await env.qualifyLead({ tenantId, leadId });
    const assigned = await env.waitForEvent(leadId, 'LeadAssigned');
    await timerOf(leadId);
    return { tenantId, apiKey, leadId, ownerId: String(assigned.data.ownerId) };
  }

  async function timerOf(
    leadId: string,
    count = 1,
  ): Promise<Array<{ fired_at: Date | null; cancelled_at: Date | null }>> {
    return waitFor(`${count} timers of lead ${leadId}`, async () => {
      const result = await env.pool.query<{ fired_at: Date | null; cancelled_at: Date | null }>(
        'SELECT fired_at, cancelled_at FROM routing_timers WHERE lead_id = $1 ORDER BY assigned_at',
        [leadId],
      );
      return result.rows.length >= count ? result.rows : undefined;
    });
  }

  const typesOf = async (leadId: string) => (await env.eventsOf(leadId)).map((event) => event.type);

  it('recycles a lead whose owner did not respond and reassigns it to a different rep, telling the manager', async () => {
    const { leadId, ownerId } = await assignedLead();
    env.advance(31);

    await pollerOn(env).tick();
    const breached = await env.waitForEvent(leadId, 'LeadResponseSlaBreached');
    const recycled = await env.waitForEvent(leadId, 'LeadRecycled');
    const reassigned = await env.waitForEvent(leadId, 'LeadAssigned', 2);

    expect(breached.data).toMatchObject({ ownerId, poolId: 'uk', breachCount: 1, managerId: 'mgr-uk' });
    expect(recycled.data).toMatchObject({ fromOwnerId: ownerId, toPoolId: 'shared', reason: 'response_sla_breached' });
    expect(reassigned.data).toMatchObject({ poolId: 'shared', reason: 'recycled' });
    expect(reassigned.data.ownerId).not.toBe(ownerId);
    expect(await typesOf(leadId)).not.toContain('LeadEscalated');
  });

  it('escalates the breach that reaches the tenant’s threshold', async () => {
    const { leadId } = await assignedLead();
    env.advance(31);
    await pollerOn(env).tick();
    await env.waitForEvent(leadId, 'LeadAssigned', 2);
    await timerOf(leadId, 2);

    env.advance(61);
    await pollerOn(env).tick();
    const escalated = await env.waitForEvent(leadId, 'LeadEscalated');

    expect(escalated.data).toMatchObject({ breachCount: 2 });
  });

  it('stops the timer when the owner accepts the lead', async () => {
    const { apiKey, leadId, ownerId } = await assignedLead();
    const accepted = await env.request({ url: `/v1/leads/${leadId}/accept`, apiKey, body: { ownerId } });
    await waitFor('the timer cancelled', async () => (await timerOf(leadId))[0]?.cancelled_at != null);
    env.advance(31);

    await pollerOn(env).tick();

    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(await typesOf(leadId)).not.toContain('LeadResponseSlaBreached');
    expect((await timerOf(leadId))[0]?.fired_at).toBeNull();
  });

  it('fires each timer exactly once with two routing replicas polling', async () => {
    const leads = await Promise.all(Array.from({ length: 4 }, () => assignedLead()));
    const replicas = [env.newReplica(), env.newReplica()];
    env.advance(31);

    await Promise.all(replicas.map((replica) => pollerOn(replica).tick()));
    await Promise.all(replicas.map((replica) => pollerOn(replica).tick()));

    for (const { leadId } of leads) {
      const breaches = (await typesOf(leadId)).filter((type) => type === 'LeadResponseSlaBreached');
      expect(breaches).toHaveLength(1);
      expect((await timerOf(leadId))[0]?.fired_at).not.toBeNull();
    }
  });

  it('keeps a breach whose send failed in the outbox, and the sweep sends it once without firing the timer again', async () => {
    const { leadId } = await assignedLead();
    const unreachable = env.leadConsumer({
      pool: env.pool,
      store: {
        readStreams: (requests) => env.store.readStreams(requests),
        appendToStreams: () => Promise.reject(new Error('event store unreachable')),
      },
    });
    env.advance(31);

    await createSlaTimerTask({
      handlers: unreachable,
      clock: env.clock,
      logger: env.logger,
      intervalMs: 60_000,
    }).tick();
    const [afterFailedSend] = await timerOf(leadId);
    const typesBeforeSweep = await typesOf(leadId);
    await env.leadConsumer().sweepOutbox({ minAgeMs: 0 });
    await pollerOn(env).tick();

    expect(afterFailedSend?.fired_at).not.toBeNull();
    expect(typesBeforeSweep).not.toContain('LeadResponseSlaBreached');
    const breaches = (await typesOf(leadId)).filter((type) => type === 'LeadResponseSlaBreached');
    expect(breaches).toHaveLength(1);
  });

  it('still fires when routing restarts while the timer waits', async () => {
    const before = pollerOn(env.newReplica(), 20);
    before.start();
    const { leadId } = await assignedLead();
    await before.stop();

    env.advance(31);
    const after = pollerOn(env.newReplica(), 20);
    after.start();
    const breached = await env.waitForEvent(leadId, 'LeadResponseSlaBreached').finally(() => after.stop());

    expect(breached.data).toMatchObject({ breachCount: 1 });
  });
});
