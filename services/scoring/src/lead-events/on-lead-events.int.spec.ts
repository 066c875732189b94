import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '@l2o/bus';
import { toCloudEvent } from '@l2o/contracts';
import type { CloudEvent } from '@l2o/contracts';
import type { RecordedEvent } from '@l2o/event-store';
import { noScoringMetrics } from '../scoring-metrics.ts';
import { asConsumed, idealProfile, rescoreIntervalMs, startScoringTestEnv } from '../scoring-test-env.fixture.ts';
import type { ScoringTestEnv } from '../scoring-test-env.fixture.ts';
import { createLeadEventsConsumer } from './lead-events-consumer.ts';

describe('lead events, a batch at a time', () => {
  let env: ScoringTestEnv;

  beforeAll(async () => {
    env = await startScoringTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  async function cloudEventsOf(leadId: string): Promise<CloudEvent[]> {
    return (await env.streamOf(leadId)).map(toCloudEvent);
  }

  async function scoresOf(leadId: string): Promise<RecordedEvent[]> {
    return (await env.streamOf(leadId)).filter((event) => event.type === 'LeadScored');
  }

  /** What scoring keeps of the leads, and its positions in their streams. */
  async function scoringState(leadIds: string[]) {
    const leads = await env.pool.query(
      `SELECT lead_id::text, activities, last_score, last_grade, next_rescore_at, schedule_seq
       FROM scoring_leads WHERE lead_id = ANY($1::uuid[]) ORDER BY lead_id`,
      [leadIds],
    );
    const positions = await env.pool.query(
      'SELECT stream_id, version FROM consumer_positions WHERE stream_id = ANY($1::text[]) ORDER BY stream_id',
      [leadIds.map((leadId) => `lead-${leadId}`)],
    );
    return { leads: leads.rows, positions: positions.rows };
  }

  /** A captured lead with a demo request: 68 with the default rules, above the MQL threshold. */
  async function demoLead(tenantId: string): Promise<string> {
    const leadId = await env.captureLead({ tenantId, ...idealProfile });
    await env.recordActivity({ tenantId, leadId, type: 'demo_requested' });
    return leadId;
  }

  it('scores each lead of a batch once, on its state after the batch', async () => {
    const { tenantId } = await env.newTenant();
    const [first, second] = [await demoLead(tenantId), await demoLead(tenantId)];
    const [a, b] = [await cloudEventsOf(first), await cloudEventsOf(second)];
    // Interleaved, as one partition delivers two leads' events.
    const batch = [a[0], b[0], a[1], b[1]].filter((event) => event !== undefined);

    await env.leadEvents.handleBatch(asConsumed(batch));

    for (const leadId of [first, second]) {
      const scoring = (await env.streamOf(leadId)).slice(2).map((event) => [event.type, event.data.score]);
      // (0.5·90 + 0.3·30) / 0.8 = 67.5, rounded up: the capture's 56 alone is never sent.
      expect(scoring).toEqual([
        ['LeadScored', 68],
        ['LeadQualified', 68],
      ]);
    }
    expect((await scoresOf(first))[0]?.data).toMatchObject({ trigger: 'activity' });
  });

  it('changes nothing when a whole batch is delivered again after a crash before the offsets were committed', async () => {
    const { tenantId } = await env.newTenant();
    const leadIds = [await demoLead(tenantId), await demoLead(tenantId)];
    const batch = asConsumed([...(await cloudEventsOf(leadIds[0] ?? '')), ...(await cloudEventsOf(leadIds[1] ?? ''))]);
    await env.leadEvents.handleBatch(batch);
    const streams = await Promise.all(leadIds.map((leadId) => env.streamOf(leadId)));
    const state = await scoringState(leadIds);

    // Committed, then the process stopped before the bus committed the offsets: the same batch again.
    await env.leadEvents.handleBatch(batch);

    expect(await Promise.all(leadIds.map((leadId) => env.streamOf(leadId)))).toEqual(streams);
    expect(await scoringState(leadIds)).toEqual(state);
    expect(state.leads.map((lead) => lead.activities)).toEqual([[expect.anything()], [expect.anything()]]);
  });

  it('back-fills the events a gap misses from the event store instead of skipping them', async () => {
    const { tenantId } = await env.newTenant();
    const leadId = await demoLead(tenantId);
    await env.recordActivity({ tenantId, leadId, type: 'pricing_page_view' });
    const [captured, , pricing] = await cloudEventsOf(leadId);
    if (captured === undefined || pricing === undefined) throw new Error('the lead has three events');

    // The demo request (version 2) never arrives.
    await env.leadEvents.handleBatch(asConsumed([captured, pricing]));

    const [lead] = (await scoringState([leadId])).leads;
    expect(lead.activities.map((activity: { type: string }) => activity.type)).toEqual([
      'demo_requested',
      'pricing_page_view',
    ]);
    // With the demo's 30 and the pricing page's 15 engagement points: (0.5·90 + 0.3·45) / 0.8 = 73.1.
    expect((await scoresOf(leadId)).map((event) => event.data.score)).toEqual([73]);
  });

  it('isolates a poison message: the batch fails, then one by one the others apply once and it is refused for good', async () => {
    const { tenantId } = await env.newTenant();
    const [good, other] = [await demoLead(tenantId), await demoLead(tenantId)];
    const [captured] = await cloudEventsOf(good);
    if (captured === undefined) throw new Error('the lead has events');
    // A lead event whose data names another lead than its envelope: it can never apply.
    const poison: CloudEvent = { ...captured, id: randomUUID(), subject: randomUUID() };
    const batch = asConsumed([...(await cloudEventsOf(good)), poison, ...(await cloudEventsOf(other))]);

    await expect(env.leadEvents.handleBatch(batch)).rejects.toThrow();
    expect(await scoringState([good, other])).toEqual({ leads: [], positions: [] });
    // The bus's fallback: each message of the failed batch on its own, in order.
    const outcomes: Array<PromiseSettledResult<void>> = [];
    for (const message of batch) {
      const [outcome] = await Promise.allSettled([env.leadEvents.handle(message)]);
      if (outcome) outcomes.push(outcome);
    }

    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect(outcomes[2]).toMatchObject({ reason: expect.any(PermanentError) });
    for (const leadId of [good, other]) {
      expect((await scoringState([leadId])).leads[0]?.activities).toHaveLength(1);
      expect((await scoresOf(leadId)).at(-1)?.data).toMatchObject({ score: 68 });
    }
  });

  it("gives the survivor of a merge the merged lead's activities, scores it, and ends the merged lead's scoring", async () => {
    const { tenantId } = await env.newTenant();
    const survivorLeadId = await env.captureLead({ tenantId, ...idealProfile });
    const mergedLeadId = await env.captureLead({ tenantId, contact: { email: 'vp.private@gmail.com' } });
    await env.recordActivity({ tenantId, leadId: mergedLeadId, type: 'demo_requested' });
    await env.applyStream(survivorLeadId);
    await env.applyStream(mergedLeadId);

    await env.mergeLeads({ tenantId, survivorLeadId, mergedLeadId });
    await env.applyStream(survivorLeadId);

    // The demo (30 engagement points) joins fit 90: (0.5·90 + 0.3·30) / 0.8 = 67.5, rounded up to 68.
    expect((await scoresOf(survivorLeadId)).at(-1)?.data).toMatchObject({ score: 68, trigger: 'merged' });
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
    const leadId = await demoLead(tenantId);
    await env.applyStream(leadId);
    const [, activity] = await cloudEventsOf(leadId);
    if (activity === undefined) throw new Error('the lead has an activity');

    const data = { ...(activity.data as Record<string, unknown>), tenantId: 'someone-else' };
    const foreign: CloudEvent = { ...activity, id: randomUUID(), streamversion: 9, tenantid: 'someone-else', data };

    await expect(env.leadEvents.handleBatch(asConsumed([foreign]))).rejects.toBeInstanceOf(PermanentError);
  });

  describe('scores sent after the commit', () => {
    /** A lead events consumer whose appends fail until `storeUp()`. */
    function consumerWithStoreDown() {
      let storeDown = true;
      const consumer = createLeadEventsConsumer({
        pool: env.pool,
        store: {
          readStreams: (requests) => env.store.readStreams(requests),
          appendToStreams: async (appends) => {
            if (storeDown) throw new Error('event store unreachable');
            return env.store.appendToStreams(appends);
          },
        },
        clock: env.clock,
        rescoreIntervalMs,
        metrics: noScoringMetrics,
      });
      return { consumer, storeUp: () => void (storeDown = false) };
    }

    it('keeps the scores of a batch whose send failed and the sweep sends them once', async () => {
      const { tenantId } = await env.newTenant();
      const leadId = await demoLead(tenantId);
      const { consumer, storeUp } = consumerWithStoreDown();

      await consumer.handleBatch(asConsumed(await cloudEventsOf(leadId)));
      const whileDown = await scoresOf(leadId);
      storeUp();
      const swept = await consumer.sweepOutbox({ minAgeMs: 0 });
      const again = await consumer.sweepOutbox({ minAgeMs: 0 });

      expect(whileDown).toEqual([]);
      expect([swept, again]).toEqual([1, 0]);
      expect((await scoresOf(leadId)).map((event) => event.data.score)).toEqual([68]);
    });

    it('drops a kept score that a later score of the lead superseded instead of sending it after that one', async () => {
      const { tenantId } = await env.newTenant();
      const leadId = await env.captureLead({ tenantId, ...idealProfile });
      const { consumer: failing, storeUp } = consumerWithStoreDown();
      await failing.handleBatch(asConsumed(await cloudEventsOf(leadId)));
      await env.recordActivity({ tenantId, leadId, type: 'demo_requested' });
      await env.applyStream(leadId);

      storeUp();
      await failing.sweepOutbox({ minAgeMs: 0 });

      // The capture's 56 waited in the outbox; the demo's 68 went out first and stays the last score.
      expect((await scoresOf(leadId)).map((event) => event.data.score)).toEqual([68]);
      const kept = await env.pool.query("SELECT 1 FROM consumer_outbox WHERE consumer = 'scoring-lead-events'");
      expect(kept.rowCount).toBe(0);
    });
  });
});
