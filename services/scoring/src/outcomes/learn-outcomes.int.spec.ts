import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idealProfile, startScoringTestEnv } from '../scoring-test-env.fixture.ts';
import type { ScoringTestEnv } from '../scoring-test-env.fixture.ts';
import { learnPendingOutcomes, recordOutcome } from './learn-outcomes.ts';
import { rememberOpportunity } from './outcomes.repository.ts';
import { loadModel } from './predictive-model.repository.ts';
import { testOpportunity } from './opportunity-event.fixture.ts';

describe('learning outcomes', () => {
  let env: ScoringTestEnv;

  beforeAll(async () => {
    env = await startScoringTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  it('keeps an outcome whose lead scoring has not seen yet and learns it once the lead arrives', async () => {
    const { tenantId } = await env.newTenant();
    const leadId = await env.captureLead({ tenantId, ...idealProfile });
    const { opportunityId } = testOpportunity({ tenantId, leadId });
    await rememberOpportunity(env.pool, { opportunityId, tenantId, leadId });
    const won = {
      pool: env.pool,
      tenantId,
      opportunityId,
      outcome: 'won' as const,
      closedAt: '2025-06-27T16:20:00.000Z',
    };

    const early = await recordOutcome({ ...won, now: env.clock() });
    const beforeLead = await learnPendingOutcomes({ pool: env.pool, now: env.clock() });
    await env.applyStream(leadId);
    const learnt = await learnPendingOutcomes({ pool: env.pool, now: env.clock() });
    const again = await learnPendingOutcomes({ pool: env.pool, now: env.clock() });

    expect(early).toBe('pending');
    expect(beforeLead).toBe(0);
    expect([learnt, again]).toEqual([1, 0]);
    expect(await loadModel(env.pool, tenantId)).toMatchObject({
      won: 1,
      lost: 0,
      counts: { 'company.industry': { software: { won: 1, lost: 0 } } },
    });
  });

  it('reports an outcome of an opportunity whose opening it never saw', async () => {
    const { tenantId } = await env.newTenant();
    const { opportunityId } = testOpportunity({ tenantId, leadId: crypto.randomUUID() });

    const result = await recordOutcome({
      pool: env.pool,
      tenantId,
      opportunityId,
      outcome: 'lost',
      closedAt: '2025-06-27T16:20:00.000Z',
      now: env.clock(),
    });

    expect(result).toBe('unknown_opportunity');
  });
});
