import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@l2o/service-kit';
import { waitFor } from '@l2o/testing';
import type { OpportunityView } from '../opportunity/opportunity-view.ts';
import { createOpportunityViewConsumer } from '../opportunity-view/opportunity-consumer.ts';
import { startPipelineTestApp } from '../pipeline-test-app.fixture.ts';
import type { PipelineTestApp, TestTenant } from '../pipeline-test-app.fixture.ts';
import { fireStageTimers } from './fire-stage-timers.ts';
import type { StageTimerFiring } from './fire-stage-timers.ts';
import { createStageSlaPoller } from './stage-sla-poller.ts';

describe('stage SLA poller', () => {
  let env: PipelineTestApp;
  // Opportunities open at the app's clock in Qualification, whose SLA is 14 days.
  let qualificationDue: Date;

  beforeAll(async () => {
    env = await startPipelineTestApp();
    qualificationDue = new Date(env.now.getTime() + 14 * 24 * 60 * 60 * 1000);
  });
  afterAll(async () => {
    await env.close();
  });

  const logger = createLogger({ name: 'pipeline', level: 'silent' });
  const poller = (at: Date, intervalMs = 60_000, outbox = env.view) =>
    createStageSlaPoller({ outbox, clock: () => at, logger, intervalMs });
  const after = (due: Date, ms = 60_000) => new Date(due.getTime() + ms);

  async function opportunities(count: number): Promise<{ tenant: TestTenant; ids: string[] }> {
    const tenant = await env.newTenant();
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) ids.push(await env.openOpportunity(tenant));
    await env.catchUpView(tenant.tenantId);
    return { tenant, ids };
  }

  const stalledEvents = async (tenantId: string) =>
    (await env.eventsOf(tenantId)).filter((event) => event.type === 'OpportunityStalled');

  async function timerOf(id: string) {
    const result = await env.pool.query<{ outcome: string | null; fired: boolean }>(
      `SELECT outcome, fired_at IS NOT NULL AS fired FROM pipeline_stage_timers
        WHERE opportunity_id = $1 AND stage_id = 'qualification'`,
      [id],
    );
    return result.rows[0];
  }

  const firingOf = (tenant: TestTenant, id: string, at: Date): StageTimerFiring => ({
    opportunityId: id,
    tenantId: tenant.tenantId,
    stageId: 'qualification',
    enteredAt: env.now.toISOString(),
    slaDays: 14,
    at: at.toISOString(),
  });

  // The pollers fire every due timer of the schema, other tests' too, so each test looks at its own opportunities.

  it('fires nothing before the stage SLA has passed', async () => {
    const { tenant, ids } = await opportunities(1);

    await poller(new Date(qualificationDue.getTime() - 1)).tick();

    expect(await stalledEvents(tenant.tenantId)).toEqual([]);
    expect(await timerOf(ids[0] as string)).toEqual({ outcome: null, fired: false });
  });

  it('marks each overdue opportunity stalled once when two pollers tick at the same time', async () => {
    const { tenant, ids } = await opportunities(5);
    const at = after(qualificationDue);

    await Promise.all([poller(at).tick(), poller(at).tick()]);
    const again = await Promise.all([poller(at).tick(), poller(at).tick()]);

    expect(again).toEqual([0, 0]);
    const stalled = await stalledEvents(tenant.tenantId);
    expect(stalled.map((event) => event.streamId).sort()).toEqual(ids.map((id) => `opportunity-${id}`).sort());
    expect(stalled[0]?.data).toMatchObject({
      stage: { id: 'qualification' },
      enteredStageAt: env.now.toISOString(),
      stalledAt: at.toISOString(),
      slaDays: 14,
    });
    for (const id of ids) expect(await timerOf(id)).toEqual({ outcome: 'stalled', fired: true });
    const view = await env.request({ method: 'GET', url: `/v1/opportunities/${ids[0]}`, apiKey: tenant.apiKey });
    expect(view.json<OpportunityView>().stalled).toBe(true);
  });

  it('stalls once when a restarted poller fires a timer whose command was already appended', async () => {
    const { tenant, ids } = await opportunities(1);
    const [id] = ids as [string];
    await poller(after(qualificationDue)).tick();
    // Due again though its OpportunityStalled is appended: the second MarkStalled must append nothing.
    await env.pool.query('UPDATE pipeline_stage_timers SET fired_at = NULL, outcome = NULL WHERE opportunity_id = $1', [
      id,
    ]);

    await poller(after(qualificationDue, 120_000)).tick();

    expect(await stalledEvents(tenant.tenantId)).toHaveLength(1);
    expect(await timerOf(id)).toEqual({ outcome: 'moot', fired: true });
  });

  it('keeps the command of a timer claimed while the event store was down, and the sweep stalls it once', async () => {
    const { tenant, ids } = await opportunities(1);
    const [id] = ids as [string];
    let storeDown = true;
    const view = createOpportunityViewConsumer({
      pool: env.pool,
      settings: env.settings,
      store: {
        readStreams: (requests) => env.store.readStreams(requests),
        readStream: (streamId, options) => env.store.readStream(streamId, options),
        appendToStream: async (streamId, events, options) => {
          if (storeDown) throw new Error('event store unavailable');
          return env.store.appendToStream(streamId, events, options);
        },
      },
    });

    const at = after(qualificationDue);
    await poller(at, 60_000, view).tick();
    expect(await stalledEvents(tenant.tenantId)).toEqual([]);
    expect(await timerOf(id)).toEqual({ outcome: null, fired: true });

    storeDown = false;
    // The pollers of other tests sweep the same outbox: at least this timer's command is sent, and only once.
    await view.sweepOutbox({ minAgeMs: 0 });
    expect(await view.sweepOutbox({ minAgeMs: 0 })).toBe(0);
    await poller(after(qualificationDue, 120_000), 60_000, view).tick();

    // Sent again, as after a crash between the send and the outbox row's removal.
    await fireStageTimers({ pool: env.pool, store: env.store })([firingOf(tenant, id, at)]);

    const stalled = await stalledEvents(tenant.tenantId);
    expect(stalled).toHaveLength(1);
    expect(stalled[0]?.data).toMatchObject({ stalledAt: at.toISOString() });
    expect(await timerOf(id)).toEqual({ outcome: 'stalled', fired: true });
  });

  it('fires a timer set before a restart', async () => {
    const { tenant } = await opportunities(1);
    const before = poller(env.now);
    before.start();
    await before.stop();

    const afterRestart = poller(after(qualificationDue), 10);
    afterRestart.start();
    await waitFor('the stall', async () => (await stalledEvents(tenant.tenantId)).length === 1);
    await afterRestart.stop();

    expect(await stalledEvents(tenant.tenantId)).toHaveLength(1);
  });

  it('does not mark a stage the opportunity left before its SLA passed', async () => {
    const { tenant, ids } = await opportunities(1);
    const [id] = ids as [string];
    await env.request({
      url: `/v1/opportunities/${id}/stage`,
      apiKey: tenant.apiKey,
      body: { stageId: 'discovery', by: 'rep-ines' },
    });

    await poller(after(qualificationDue)).tick();

    expect(await stalledEvents(tenant.tenantId)).toEqual([]);
    expect(await timerOf(id)).toEqual({ outcome: 'moot', fired: true });
  });

  it('leaves a cancelled timer alone once the view saw the stage change', async () => {
    const { tenant, ids } = await opportunities(1);
    const [id] = ids as [string];
    await env.request({
      url: `/v1/opportunities/${id}/stage`,
      apiKey: tenant.apiKey,
      body: { stageId: 'discovery', by: 'rep-ines' },
    });
    await env.catchUpView(tenant.tenantId);

    await poller(after(qualificationDue)).tick();

    expect(await timerOf(id)).toEqual({ outcome: null, fired: false });
    expect(await stalledEvents(tenant.tenantId)).toEqual([]);
  });
});
