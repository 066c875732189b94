import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, ensureTopics } from '@l2o/bus';
import type { ConsumerRunner, Publisher } from '@l2o/bus';
import { toCloudEvent, Topics, withNamespace } from '@l2o/contracts';
import { kafkaBrokers, uniqueSuffix, waitFor } from '@l2o/testing';
import { noScoringMetrics } from '../scoring-metrics.ts';
import { idealProfile, rescoreIntervalMs, startScoringTestEnv } from '../scoring-test-env.fixture.ts';
import type { ScoringTestEnv } from '../scoring-test-env.fixture.ts';
import { createLeadEventsConsumer, startLeadEventsConsumer } from './lead-events-consumer.ts';

describe('lead events consumer', () => {
  const namespace = `test-scoring-${uniqueSuffix()}`;
  const topic = withNamespace(Topics.lead, namespace);
  const timing = { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, maxWaitTimeMs: 100 };
  let env: ScoringTestEnv;
  let publisher: Publisher;
  let consumer: ConsumerRunner;

  /** Publishes the lead's stored events from `fromVersion` as the relay would, scoring's own among them. */
  async function publishStream(leadId: string, fromVersion = 1): Promise<void> {
    const events = (await env.streamOf(leadId)).filter((event) => event.streamVersion >= fromVersion);
    await publisher.publish(
      topic,
      events.map((event) => ({ key: leadId, event: toCloudEvent(event) })),
    );
  }

  async function scoringEventsOf(leadId: string) {
    const events = await env.streamOf(leadId);
    return events
      .filter((event) => event.type === 'LeadScored' || event.type === 'LeadQualified')
      .map((event) => ({ type: event.type, score: event.data.score, trigger: event.data.trigger }));
  }

  beforeAll(async () => {
    env = await startScoringTestEnv();
    // One partition, so the order of the published events is the order they are handled in.
    await ensureTopics({ brokers: kafkaBrokers(), topics: [{ topic, partitions: 1 }] });
    publisher = createPublisher({ brokers: kafkaBrokers(), clientId: 'scoring-test' });
    await publisher.connect();
    consumer = await startLeadEventsConsumer({
      brokers: kafkaBrokers(),
      topicNamespace: namespace,
      groupId: `scoring-test-${uniqueSuffix()}`,
      consumer: createLeadEventsConsumer({
        pool: env.pool,
        store: env.store,
        clock: env.clock,
        rescoreIntervalMs,
        metrics: noScoringMetrics,
      }),
      timing,
    });
  });
  afterAll(async () => {
    await consumer.stop();
    await publisher.disconnect();
    await env.close();
  });

  it('scores a captured lead as its activities come in and qualifies it once when it reaches the threshold', async () => {
    const { tenantId } = await env.newTenant();
    const leadId = await env.captureLead({ tenantId, ...idealProfile });
    let published = 0;
    /** Publishes what the lead's stream holds that was not published yet, and waits for `scorings` scoring events. */
    async function publishAndWaitForScorings(scorings: number): Promise<void> {
      const stream = await env.streamOf(leadId);
      await publishStream(leadId, published + 1);
      published = stream.length;
      await waitFor(
        `${scorings} scoring events on the lead`,
        async () => (await scoringEventsOf(leadId)).length >= scorings,
      );
    }

    // Each activity comes in after the lead's last score: a batch scores a lead once, on its last state.
    await publishAndWaitForScorings(1);
    await env.recordActivity({ tenantId, leadId, type: 'pricing_page_view' });
    await publishAndWaitForScorings(3);
    await env.recordActivity({ tenantId, leadId, type: 'content_download' });
    await publishAndWaitForScorings(4);
    await env.recordActivity({ tenantId, leadId, type: 'demo_requested' });
    await publishAndWaitForScorings(5);

    // Default rules: fit 90 (VP 30, 5,000 people 25, software 25, US 10), predictive not yet learnt, so
    // score = (0.5·90 + 0.3·engagement) / 0.8: 56 at capture, 62 with pricing (15), 66 with the
    // download (25), 77 with the demo (55). The threshold 60 is crossed by the pricing page view.
    expect(await scoringEventsOf(leadId)).toEqual([
      { type: 'LeadScored', score: 56, trigger: 'captured' },
      { type: 'LeadScored', score: 62, trigger: 'activity' },
      { type: 'LeadQualified', score: 62, trigger: undefined },
      { type: 'LeadScored', score: 66, trigger: 'activity' },
      { type: 'LeadScored', score: 77, trigger: 'activity' },
    ]);
  });

  it('changes nothing when the events of a lead are delivered again', async () => {
    const { tenantId } = await env.newTenant();
    const leadId = await env.captureLead({ tenantId, ...idealProfile });
    await env.recordActivity({ tenantId, leadId, type: 'demo_requested' });
    await publishStream(leadId);
    await waitFor('the lead qualified', async () =>
      (await env.streamOf(leadId)).some((event) => event.type === 'LeadQualified'),
    );
    const before = await env.streamOf(leadId);
    const row = await env.pool.query('SELECT activities, last_score FROM scoring_leads WHERE lead_id = $1', [leadId]);

    // Everything again, scoring's own events too; then a lead whose score shows the redelivery was handled.
    await publishStream(leadId);
    const marker = await env.captureLead({ tenantId, ...idealProfile });
    await publishStream(marker);
    await waitFor('the marker lead scored', async () =>
      (await env.streamOf(marker)).some((event) => event.type === 'LeadScored'),
    );

    expect((await env.streamOf(leadId)).map((event) => event.id)).toEqual(before.map((event) => event.id));
    const after = await env.pool.query('SELECT activities, last_score FROM scoring_leads WHERE lead_id = $1', [leadId]);
    expect(after.rows).toEqual(row.rows);
    expect(after.rows[0].activities).toHaveLength(1);
  });
});
