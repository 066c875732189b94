import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, ensureTopics } from '@l2o/bus';
import type { ConsumerRunner, Publisher } from '@l2o/bus';
import { Topics, withNamespace } from '@l2o/contracts';
import type { CloudEvent } from '@l2o/contracts';
import { kafkaBrokers, uniqueSuffix, waitFor } from '@l2o/testing';
import { idealProfile, startScoringTestEnv } from '../scoring-test-env.fixture.ts';
import type { ScoringTestEnv } from '../scoring-test-env.fixture.ts';
import { testOpportunity } from './opportunity-event.fixture.ts';
import { createOutcomesConsumer, startOutcomesConsumer } from './outcomes-consumer.ts';
import { loadModel } from './predictive-model.repository.ts';

describe('outcomes consumer', () => {
  const namespace = `test-scoring-${uniqueSuffix()}`;
  const topic = withNamespace(Topics.opportunity, namespace);
  const timing = { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, maxWaitTimeMs: 100 };
  let env: ScoringTestEnv;
  let publisher: Publisher;
  let consumer: ConsumerRunner;

  const publish = (events: CloudEvent[]) =>
    publisher.publish(
      topic,
      events.map((event) => ({ key: event.subject, event })),
    );

  /** Publishes the opening of a marker opportunity and waits until it is remembered: everything before it was handled. */
  async function caughtUp(tenantId: string, leadId: string): Promise<void> {
    const marker = testOpportunity({ tenantId, leadId });
    await publish([marker.opened()]);
    await waitFor('the marker opportunity', async () => {
      const result = await env.pool.query('SELECT 1 FROM scoring_opportunities WHERE opportunity_id = $1', [
        marker.opportunityId,
      ]);
      return result.rowCount === 1;
    });
  }

  async function scoredLead(tenantId: string, profile: Parameters<ScoringTestEnv['captureLead']>[0]): Promise<string> {
    const leadId = await env.captureLead({ ...profile, tenantId });
    await env.applyStream(leadId);
    return leadId;
  }

  beforeAll(async () => {
    env = await startScoringTestEnv();
    await ensureTopics({ brokers: kafkaBrokers(), topics: [{ topic, partitions: 1 }] });
    publisher = createPublisher({ brokers: kafkaBrokers(), clientId: 'scoring-outcomes-test' });
    await publisher.connect();
    consumer = await startOutcomesConsumer({
      brokers: kafkaBrokers(),
      topicNamespace: namespace,
      groupId: `scoring-outcomes-test-${uniqueSuffix()}`,
      consumer: createOutcomesConsumer({ pool: env.pool, store: env.store, clock: env.clock }),
      timing,
    });
  });
  afterAll(async () => {
    await consumer.stop();
    await publisher.disconnect();
    await env.close();
  });

  it("teaches the tenant's model each won and lost opportunity once, however often it is delivered", async () => {
    const { tenantId } = await env.newTenant();
    const winner = await scoredLead(tenantId, { tenantId, ...idealProfile });
    const loser = await scoredLead(tenantId, { tenantId, company: { industry: 'Retail', size: 12, country: 'FR' } });
    const won = testOpportunity({ tenantId, leadId: winner });
    const lost = testOpportunity({ tenantId, leadId: loser });
    const wonEvents = [won.opened(), won.won()];
    const lostEvents = [lost.opened(), lost.lost()];

    await publish([...wonEvents, ...lostEvents, ...wonEvents, ...lostEvents]);
    await caughtUp(tenantId, winner);

    const model = await loadModel(env.pool, tenantId);
    expect(model).toMatchObject({ won: 1, lost: 1 });
    // Features of the default rule set, each value counted once for its outcome.
    expect(model.counts['company.industry']).toEqual({ software: { won: 1, lost: 0 }, retail: { won: 0, lost: 1 } });
    expect(model.counts['contact.seniority']).toEqual({ vp: { won: 1, lost: 0 }, unknown: { won: 0, lost: 1 } });
    const outcomes = await env.pool.query(
      'SELECT outcome, learned FROM scoring_outcomes WHERE tenant_id = $1 ORDER BY outcome',
      [tenantId],
    );
    expect(outcomes.rows).toEqual([
      { outcome: 'lost', learned: true },
      { outcome: 'won', learned: true },
    ]);
  });

  it('unlearns the outcome of a reopened opportunity and learns how it ends the second time', async () => {
    const { tenantId } = await env.newTenant();
    const leadId = await scoredLead(tenantId, { tenantId, ...idealProfile });
    const opportunity = testOpportunity({ tenantId, leadId });

    await publish([opportunity.opened(), opportunity.won(), opportunity.reopened('won')]);
    await caughtUp(tenantId, leadId);
    const afterReopen = await loadModel(env.pool, tenantId);
    await publish([opportunity.lost()]);
    await caughtUp(tenantId, leadId);

    expect(afterReopen).toMatchObject({ won: 0, lost: 0 });
    expect(await loadModel(env.pool, tenantId)).toMatchObject({ won: 0, lost: 1 });
  });
});
