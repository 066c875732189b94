import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@l2o/service-kit';
import type { PeriodicTask } from '@l2o/service-kit';
import { leadJourney } from '../attribution-events.fixture.ts';
import { startAttributionTestApp } from '../attribution-test-app.fixture.ts';
import type { AttributionTestApp } from '../attribution-test-app.fixture.ts';
import { createRecomputeScheduler } from './recompute-scheduler.ts';
import { withTenantRecomputeLock } from './tenant-recompute-lock.ts';

describe('recompute scheduler', () => {
  let t: AttributionTestApp;
  let scheduler: PeriodicTask;
  let tenantId: string;

  beforeAll(async () => {
    t = await startAttributionTestApp({ now: new Date('2025-06-30T12:00:00.000Z') });
    // Never started: each test ticks by hand.
    scheduler = createRecomputeScheduler({
      ...t.deps,
      logger: createLogger({ name: 'attribution', level: 'silent' }),
      intervalMinutes: 60,
      checkEveryMs: 3_600_000,
    });
    ({ tenantId } = await t.newTenant());
    const journey = leadJourney({ tenantId });
    await t.deliver(journey.captured({ channel: 'web_form', occurredAt: '2025-03-01T10:00:00.000Z' }));
  });
  afterAll(async () => {
    await scheduler.stop();
    await t.close();
  });

  const learnedAt = async () =>
    (
      await t.pool.query<{ computed_at: Date }>(
        "SELECT computed_at FROM attribution_model_weights WHERE tenant_id = $1 AND model = 'markov'",
        [tenantId],
      )
    ).rows[0]?.computed_at.toISOString();

  it('learns the weights of a tenant that has none', async () => {
    expect(await scheduler.tick()).toBe(1);
    expect(await learnedAt()).toBe('2025-06-30T12:00:00.000Z');
  });

  it('leaves a tenant alone within the interval', async () => {
    t.setNow(new Date('2025-06-30T12:59:00.000Z'));
    expect(await scheduler.tick()).toBe(0);
  });

  it('skips a tenant another replica is recalculating', async () => {
    t.setNow(new Date('2025-06-30T13:00:00.000Z'));
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked = () => {};
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const other = withTenantRecomputeLock(t.pool, { tenantId, wait: true }, async () => {
      locked();
      await held;
    });
    await isLocked;
    expect(await scheduler.tick()).toBe(0);
    release();
    await other;
  });

  it('learns again once the interval has passed', async () => {
    expect(await scheduler.tick()).toBe(1);
    expect(await learnedAt()).toBe('2025-06-30T13:00:00.000Z');
  });
});
