import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '@l2o/bus';
import { leadCapturedV1Example } from '@l2o/contracts';
import { scoringMetadata } from '../score-lead/rescore-lead.ts';
import { noScoringMetrics } from '../scoring-metrics.ts';
import { idealProfile, rescoreIntervalMs, startScoringTestEnv } from '../scoring-test-env.fixture.ts';
import type { ScoringTestEnv } from '../scoring-test-env.fixture.ts';
import { applyLeadEventAndScore } from './apply-lead-event.ts';

describe('applyLeadEventAndScore', () => {
  let env: ScoringTestEnv;

  beforeAll(async () => {
    env = await startScoringTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  it("gives the survivor of a merge the merged lead's activities, scores it, and ends the merged lead's scoring", async () => {
    const { tenantId } = await env.newTenant();
    const survivorLeadId = await env.captureLead({ tenantId, ...idealProfile });
    const mergedLeadId = await env.captureLead({ tenantId, contact: { email: 'vp.private@gmail.com' } });
    await env.recordActivity({ tenantId, leadId: mergedLeadId, type: 'demo_requested' });
    await env.applyStream(survivorLeadId);
    await env.applyStream(mergedLeadId);
    const survivorVersion = (await env.streamOf(survivorLeadId)).length;

    await env.mergeLeads({ tenantId, survivorLeadId, mergedLeadId });
    await env.applyStream(survivorLeadId, { fromVersion: survivorVersion + 1 });

    // The demo (30 engagement points) joins fit 90: (0.5·90 + 0.3·30) / 0.8 = 67.5, rounded up to 68.
    const scored = (await env.streamOf(survivorLeadId)).filter((event) => event.type === 'LeadScored').at(-1);
    expect(scored?.data).toMatchObject({ score: 68, trigger: 'merged' });
    const rows = await env.pool.query<{ lead_id: string; merged_into: string | null; next_rescore_at: Date | null }>(
      'SELECT lead_id::text, merged_into::text, next_rescore_at FROM scoring_leads WHERE tenant_id = $1',
      [tenantId],
    );
    expect(rows.rows).toEqual(
      expect.arrayContaining([
        { lead_id: mergedLeadId, merged_into: survivorLeadId, next_rescore_at: null },
        expect.objectContaining({ lead_id: survivorLeadId, merged_into: null }),
      ]),
    );
  });

  it('refuses for good an event naming a lead scoring keeps for another tenant', async () => {
    const { tenantId } = await env.newTenant();
    const leadId = await env.captureLead({ tenantId, ...idealProfile });
    await env.applyStream(leadId);

    const misrouted = applyLeadEventAndScore({
      pool: env.pool,
      store: env.store,
      event: { type: 'LeadCaptured', data: { ...leadCapturedV1Example, leadId, tenantId: 'someone-else' } },
      version: 2,
      metadata: scoringMetadata({ tenantId: 'someone-else' }),
      now: env.clock(),
      rescoreIntervalMs,
      metrics: noScoringMetrics,
    });

    await expect(misrouted).rejects.toBeInstanceOf(PermanentError);
  });
});
