import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '@l2o/bus';
import { catalogueEntryByCloudEventType, streamIdFor } from '@l2o/contracts';
import type { CloudEvent } from '@l2o/contracts';
import type { StreamConsumerHandlers } from '@l2o/stream-consumer';
import { asConsumed, idealProfile, startScoringTestEnv } from '../scoring-test-env.fixture.ts';
import type { ScoringTestEnv } from '../scoring-test-env.fixture.ts';
import { learnPendingOutcomes } from './learn-outcomes.ts';
import { testOpportunity } from './opportunity-event.fixture.ts';
import { createOutcomesConsumer } from './outcomes-consumer.ts';
import { loadModel } from './predictive-model.repository.ts';

describe('learning outcomes', () => {
  let env: ScoringTestEnv;
  let outcomes: StreamConsumerHandlers;
  const topic = 'l2o.opportunity.v1';

  beforeAll(async () => {
    env = await startScoringTestEnv();
    outcomes = createOutcomesConsumer({ pool: env.pool, store: env.store, clock: env.clock });
  });
  afterAll(async () => {
    await env.close();
  });

  /** Stores an opportunity's events in the event store, as pipeline appends them. */
  async function store(events: CloudEvent[]): Promise<void> {
    const opportunityId = events[0]?.subject ?? '';
    await env.store.appendToStream(
      streamIdFor('opportunity', opportunityId),
      events.map((event) => ({
        id: event.id,
        type: catalogueEntryByCloudEventType(event.type)?.name ?? event.type,
        data: event.data as Record<string, unknown>,
        metadata: { tenantId: event.tenantid },
      })),
      { expectedVersion: 'no_stream' },
    );
  }

  async function outcomesOf(tenantId: string) {
    const result = await env.pool.query(
      'SELECT opportunity_id::text, outcome, learned FROM scoring_outcomes WHERE tenant_id = $1 ORDER BY outcome',
      [tenantId],
    );
    return result.rows;
  }

  it('keeps an outcome whose lead scoring has not seen yet and learns it once the lead arrives', async () => {
    const { tenantId } = await env.newTenant();
    const leadId = await env.captureLead({ tenantId, ...idealProfile });
    const opportunity = testOpportunity({ tenantId, leadId });

    await outcomes.handleBatch(asConsumed([opportunity.opened(), opportunity.won()], topic));
    const early = await outcomesOf(tenantId);
    const beforeLead = await learnPendingOutcomes({ pool: env.pool, now: env.clock() });
    await env.applyStream(leadId);
    const learnt = await learnPendingOutcomes({ pool: env.pool, now: env.clock() });
    const again = await learnPendingOutcomes({ pool: env.pool, now: env.clock() });

    expect(early).toEqual([{ opportunity_id: opportunity.opportunityId, outcome: 'won', learned: false }]);
    expect(beforeLead).toBe(0);
    expect([learnt, again]).toEqual([1, 0]);
    expect(await loadModel(env.pool, tenantId)).toMatchObject({
      won: 1,
      lost: 0,
      counts: { 'company.industry': { software: { won: 1, lost: 0 } } },
    });
  });

  it('refuses for good a won opportunity whose opening it never saw, and records nothing of it', async () => {
    const { tenantId } = await env.newTenant();
    const opportunity = testOpportunity({ tenantId, leadId: randomUUID() });

    await expect(outcomes.handleBatch(asConsumed([opportunity.won()], topic))).rejects.toBeInstanceOf(PermanentError);
    expect(await outcomesOf(tenantId)).toEqual([]);
  });

  it('learns how an opportunity ended again after a reopening within one batch', async () => {
    const { tenantId } = await env.newTenant();
    const leadId = await env.captureLead({ tenantId, ...idealProfile });
    await env.applyStream(leadId);
    const opportunity = testOpportunity({ tenantId, leadId });

    await outcomes.handleBatch(
      asConsumed([opportunity.opened(), opportunity.won(), opportunity.reopened('won'), opportunity.lost()], topic),
    );

    expect(await outcomesOf(tenantId)).toEqual([
      { opportunity_id: opportunity.opportunityId, outcome: 'lost', learned: true },
    ]);
    expect(await loadModel(env.pool, tenantId)).toMatchObject({ won: 0, lost: 1 });
  });

  it('back-fills an opening it missed from the event store and learns the outcome', async () => {
    const { tenantId } = await env.newTenant();
    const leadId = await env.captureLead({ tenantId, ...idealProfile });
    await env.applyStream(leadId);
    const opportunity = testOpportunity({ tenantId, leadId });
    const [opened, won] = [opportunity.opened(), opportunity.won()];
    await store([opened, won]);

    // The opening (version 1) never arrives.
    await outcomes.handleBatch(asConsumed([won], topic));

    expect(await outcomesOf(tenantId)).toEqual([
      { opportunity_id: opportunity.opportunityId, outcome: 'won', learned: true },
    ]);
    expect(await loadModel(env.pool, tenantId)).toMatchObject({ won: 1, lost: 0 });
  });

  it('changes nothing when a whole batch is delivered again after a crash before the offsets were committed', async () => {
    const { tenantId } = await env.newTenant();
    const leadId = await env.captureLead({ tenantId, ...idealProfile });
    await env.applyStream(leadId);
    const [won, lost] = [testOpportunity({ tenantId, leadId }), testOpportunity({ tenantId, leadId })];
    const batch = asConsumed([won.opened(), lost.opened(), won.won(), lost.lost()], topic);
    await outcomes.handleBatch(batch);
    const model = await loadModel(env.pool, tenantId);

    await outcomes.handleBatch(batch);

    expect(await loadModel(env.pool, tenantId)).toEqual(model);
    expect(model).toMatchObject({ won: 1, lost: 1 });
    expect(await outcomesOf(tenantId)).toHaveLength(2);
  });
});
