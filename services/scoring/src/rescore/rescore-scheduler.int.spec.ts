import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import { defaultScoringRuleSet } from '../model/index.ts';
import { noScoringMetrics } from '../scoring-metrics.ts';
import { idealProfile, rescoreIntervalMs, startOfTests, startScoringTestEnv } from '../scoring-test-env.fixture.ts';
import type { ScoringTestEnv } from '../scoring-test-env.fixture.ts';
import { createRescoreScheduler, createRescoreTask } from './rescore-scheduler.ts';
import type { RescoreSchedulerOptions } from './rescore-scheduler.ts';

const dayMs = 86_400_000;

describe('rescore scheduler', () => {
  let env: ScoringTestEnv;

  beforeAll(async () => {
    env = await startScoringTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  function schedulerOptions(options: Partial<RescoreSchedulerOptions> = {}): RescoreSchedulerOptions {
    return {
      pool: env.pool,
      store: env.store,
      clock: env.clock,
      rescoreIntervalMs,
      batchSize: 50,
      metrics: noScoringMetrics,
      ...options,
    };
  }

  /** Rescores batch after batch until one comes back short, as the periodic task drains a backlog. */
  function scheduler(options: Partial<RescoreSchedulerOptions> = {}) {
    const { batchSize } = schedulerOptions(options);
    const rescoring = createRescoreScheduler(schedulerOptions(options));
    return {
      async tick(): Promise<{ rescored: string[] }> {
        const rescored: string[] = [];
        for (;;) {
          const batch = await rescoring.rescoreBatch();
          rescored.push(...batch.rescored);
          if (batch.claimed < batchSize) return { rescored };
        }
      },
    };
  }

  /** A scored lead of the tenant: the ideal profile that requested a demo at the start of the tests. */
  async function demoLead(tenantId: string): Promise<string> {
    env.setNow(startOfTests);
    const leadId = await env.captureLead({ tenantId, ...idealProfile });
    await env.recordActivity({ tenantId, leadId, type: 'demo_requested' });
    await env.applyStream(leadId);
    return leadId;
  }

  async function lastScore(leadId: string) {
    return (await env.streamOf(leadId)).filter((event) => event.type === 'LeadScored').at(-1)?.data;
  }

  it('lowers the score of a lead whose engagement decayed and schedules the next rescore', async () => {
    const { tenantId } = await env.newTenant();
    const leadId = await demoLead(tenantId);
    expect(await lastScore(leadId)).toMatchObject({ score: 68 });

    const later = new Date(startOfTests.getTime() + 28 * dayMs);
    env.setNow(later);
    const { rescored } = await scheduler().tick();

    // Two half-lives later the demo's 30 points are 7.5: (0.5·90 + 0.3·7.5) / 0.8 = 59.06, so 59.
    expect(rescored).toContain(leadId);
    expect(await lastScore(leadId)).toMatchObject({ score: 59, previousScore: 68, trigger: 'decay' });
    const row = await env.pool.query('SELECT next_rescore_at FROM scoring_leads WHERE lead_id = $1', [leadId]);
    expect(row.rows[0].next_rescore_at).toEqual(new Date(later.getTime() + rescoreIntervalMs));
  });

  it('leaves a lead alone until its rescore is due', async () => {
    const { tenantId } = await env.newTenant();
    const leadId = await demoLead(tenantId);

    env.setNow(new Date(startOfTests.getTime() + rescoreIntervalMs / 2));
    const { rescored } = await scheduler().tick();

    expect(rescored).not.toContain(leadId);
  });

  it('never rescores a lead twice when two replicas claim at the same time', async () => {
    const { tenantId } = await env.newTenant();
    const leadIds: string[] = [];
    for (let index = 0; index < 24; index += 1) leadIds.push(await demoLead(tenantId));
    const otherPool = createPool({ connectionString: env.databaseUrl, schema: env.schema, max: 4 });

    env.setNow(new Date(startOfTests.getTime() + 28 * dayMs));
    const [first, second] = await Promise.all([
      scheduler({ batchSize: 3 }).tick(),
      scheduler({ batchSize: 3, pool: otherPool }).tick(),
    ]).finally(() => otherPool.end());

    const ours = [...first.rescored, ...second.rescored].filter((leadId) => leadIds.includes(leadId));
    expect(ours.toSorted()).toEqual(leadIds.toSorted());
    for (const leadId of leadIds) {
      const decays = (await env.streamOf(leadId)).filter((event) => event.data.trigger === 'decay');
      expect(decays).toHaveLength(1);
    }
  });

  it("rescores a tenant's leads with the new rule set after a rule change", async () => {
    const { tenantId, apiKey } = await env.newTenant();
    const leadId = await demoLead(tenantId);
    const withoutFit = { ...defaultScoringRuleSet, fit: { rules: [] } };

    const put = await env.request({ method: 'PUT', url: '/v1/scoring/rules', apiKey, body: withoutFit });
    await scheduler().tick();

    // No fit points: (0.5·0 + 0.3·30) / 0.8 = 11.25, so 11.
    expect(put.statusCode, put.body).toBe(200);
    expect(await lastScore(leadId)).toMatchObject({ score: 11, trigger: 'rules_changed', ruleSetVersion: 2 });
  });

  it('ends the scoring of a lead it finds merged instead of failing', async () => {
    const { tenantId, apiKey } = await env.newTenant();
    const mergedLeadId = await demoLead(tenantId);
    const survivorLeadId = await demoLead(tenantId);
    await env.mergeLeads({ tenantId, survivorLeadId, mergedLeadId });

    await env.request({ method: 'PUT', url: '/v1/scoring/rules', apiKey, body: defaultScoringRuleSet });
    await scheduler().tick();

    const row = await env.pool.query(
      'SELECT merged_into::text, next_rescore_at FROM scoring_leads WHERE lead_id = $1',
      [mergedLeadId],
    );
    expect(row.rows[0]).toEqual({ merged_into: survivorLeadId, next_rescore_at: null });
    expect((await env.streamOf(mergedLeadId)).at(-1)?.type).toBe('LeadsMerged');
  });

  it('runs on the periodic task, whose tick reports the leads it claimed', async () => {
    const { tenantId } = await env.newTenant();
    await demoLead(tenantId);
    await demoLead(tenantId);
    const task = createRescoreTask({
      ...schedulerOptions({ batchSize: 1 }),
      intervalMs: 60_000,
      logger: createLogger({ name: 'scoring', level: 'silent' }),
    });

    env.setNow(new Date(startOfTests.getTime() + 56 * dayMs));
    const claimed = [await task.tick(), await task.tick()];

    // A full batch of one each time, so the task would have run again at once.
    expect(claimed).toEqual([1, 1]);
  });
});
