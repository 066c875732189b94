import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamIdFor } from '@l2o/contracts';
import { leadDecider } from '@l2o/domain';
import { handleCommand } from '@l2o/event-store';
import type { EventStore } from '@l2o/event-store';
import type { LeadScore } from '../model/index.ts';
import { defaultVersionedRuleSet } from '../rule-sets/rule-set.repository.ts';
import { idealProfile, startScoringTestEnv } from '../scoring-test-env.fixture.ts';
import type { ScoringTestEnv } from '../scoring-test-env.fixture.ts';
import { toScoreCommand } from './score-command.ts';
import { scoringMetadata, toScoreLead, toScoreRequest } from './score-request.ts';
import type { ScoreRequest } from './score-request.ts';
import { sendScores } from './send-scores.ts';

describe('sendScores', () => {
  let env: ScoringTestEnv;

  beforeAll(async () => {
    env = await startScoringTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  function request(options: { tenantId: string; leadId: string; score: number }): ScoreRequest {
    const score: LeadScore = {
      score: options.score,
      grade: 'B',
      components: { fit: options.score, engagement: 0, predictive: null },
      breakdown: [{ part: 'fit', ruleId: 'size', label: 'Company size', points: options.score }],
    };
    const command = toScoreCommand({
      leadId: options.leadId,
      tenantId: options.tenantId,
      score,
      ruleSet: defaultVersionedRuleSet,
      trigger: 'captured',
      now: env.clock(),
    });
    return toScoreRequest(command, scoringMetadata({ tenantId: options.tenantId }));
  }

  async function leads(tenantId: string, count: number): Promise<string[]> {
    const leadIds: string[] = [];
    for (let index = 0; index < count; index += 1) leadIds.push(await env.captureLead({ tenantId, ...idealProfile }));
    return leadIds;
  }

  async function scoresOf(leadId: string): Promise<number[]> {
    const stream = await env.streamOf(leadId);
    return stream.filter((event) => event.type === 'LeadScored').map((event) => Number(event.data.score));
  }

  /** The event store, with `before` run ahead of each `appendToStreams` call. */
  function storeWith(before: (call: number) => Promise<void>): Pick<EventStore, 'readStreams' | 'appendToStreams'> & {
    calls: () => number;
  } {
    let calls = 0;
    return {
      readStreams: (requests) => env.store.readStreams(requests),
      appendToStreams: async (appends) => {
        calls += 1;
        await before(calls);
        return env.store.appendToStreams(appends);
      },
      calls: () => calls,
    };
  }

  it("records every lead's score in one append and qualifies a lead at the threshold", async () => {
    const { tenantId } = await env.newTenant();
    const leadIds = await leads(tenantId, 3);
    const store = storeWith(async () => undefined);

    const sent = await sendScores({
      store,
      requests: leadIds.map((leadId) => request({ tenantId, leadId, score: 70 })),
    });

    expect(store.calls()).toBe(1);
    expect(sent.recorded.map((entry) => entry.data.leadId)).toEqual(leadIds);
    for (const leadId of leadIds) {
      expect((await env.streamOf(leadId)).map((event) => event.type)).toEqual([
        'LeadCaptured',
        'LeadScored',
        'LeadQualified',
      ]);
    }
  });

  it('appends nothing for requests sent again, the same ones or new ones with the score the lead has', async () => {
    const { tenantId } = await env.newTenant();
    const leadIds = await leads(tenantId, 2);
    const requests = leadIds.map((leadId) => request({ tenantId, leadId, score: 40 }));
    await sendScores({ store: env.store, requests });

    const again = await sendScores({ store: env.store, requests });
    const sameScore = await sendScores({
      store: env.store,
      requests: leadIds.map((leadId) => request({ tenantId, leadId, score: 40 })),
    });

    expect(again.unchanged).toHaveLength(2);
    expect(sameScore.unchanged).toHaveLength(2);
    for (const leadId of leadIds) expect(await scoresOf(leadId)).toEqual([40]);
  });

  it('sends only the last of several requests for one lead', async () => {
    const { tenantId } = await env.newTenant();
    const [leadId = ''] = await leads(tenantId, 1);

    const sent = await sendScores({
      store: env.store,
      requests: [request({ tenantId, leadId, score: 30 }), request({ tenantId, leadId, score: 45 })],
    });

    expect(sent.unchanged.map((entry) => entry.data.score)).toEqual([30]);
    expect(await scoresOf(leadId)).toEqual([45]);
  });

  it('reads again and decides again for a lead another writer appended to meanwhile, after appending the others', async () => {
    const { tenantId } = await env.newTenant();
    const [first = '', contended = '', last = ''] = await leads(tenantId, 3);
    const requests = [first, contended, last].map((leadId) => request({ tenantId, leadId, score: 50 }));
    // Another replica scores the contended lead the same just before our first append.
    const store = storeWith(async (call) => {
      if (call !== 1) return;
      await handleCommand({
        store: env.store,
        streamId: streamIdFor('lead', contended),
        decider: leadDecider,
        command: toScoreLead(request({ tenantId, leadId: contended, score: 50 })),
        metadata: { tenantId },
      });
    });

    const sent = await sendScores({ store, requests });

    // The contended lead is left out of a second call; read again, it has the score already.
    expect(store.calls()).toBe(2);
    expect(sent.recorded.map((entry) => entry.data.leadId)).toEqual([first, last]);
    expect(sent.unchanged.map((entry) => entry.data.leadId)).toEqual([contended]);
    for (const leadId of [first, contended, last]) expect(await scoresOf(leadId)).toEqual([50]);
  });

  it('reports the leads another writer kept appending to through every round, having appended the others', async () => {
    const { tenantId } = await env.newTenant();
    const [calm = '', busy = ''] = await leads(tenantId, 2);
    const store = storeWith(async () => {
      await env.recordActivity({ tenantId, leadId: busy, type: 'content_download' });
    });

    const sent = await sendScores({
      store,
      requests: [calm, busy].map((leadId) => request({ tenantId, leadId, score: 55 })),
      maxRounds: 2,
    });

    expect(sent.recorded.map((entry) => entry.data.leadId)).toEqual([calm]);
    expect(sent.conflicted.map((entry) => entry.data.leadId)).toEqual([busy]);
    expect(await scoresOf(busy)).toEqual([]);
  });

  it('reports a lead merged away and a lead that refuses the score, and records the others', async () => {
    const { tenantId } = await env.newTenant();
    const [survivorLeadId = '', mergedLeadId = '', scored = ''] = await leads(tenantId, 3);
    await env.mergeLeads({ tenantId, survivorLeadId, mergedLeadId });
    const stranger = request({ tenantId: 'another-tenant', leadId: survivorLeadId, score: 65 });

    const sent = await sendScores({
      store: env.store,
      requests: [
        request({ tenantId, leadId: mergedLeadId, score: 65 }),
        stranger,
        request({ tenantId, leadId: scored, score: 65 }),
      ],
    });

    expect(sent.merged).toEqual([
      { request: expect.objectContaining({ data: expect.objectContaining({ leadId: mergedLeadId }) }), survivorLeadId },
    ]);
    expect(sent.refused).toEqual([{ request: stranger, reason: 'lead belongs to another tenant' }]);
    expect(sent.recorded.map((entry) => entry.data.leadId)).toEqual([scored]);
  });
});
