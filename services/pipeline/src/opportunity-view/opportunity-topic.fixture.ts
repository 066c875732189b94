import { createPublisher, ensureTopics } from '@l2o/bus';
import type { ConsumerRunner, Publisher } from '@l2o/bus';
import { Topics, withNamespace } from '@l2o/contracts';
import type { CloudEvent } from '@l2o/contracts';
import { kafkaBrokers, uniqueSuffix, waitFor } from '@l2o/testing';
import type { PipelineTestApp } from '../pipeline-test-app.fixture.ts';
import { opportunityViewConsumer, startOpportunityConsumer } from './opportunity-consumer.ts';

/** A namespaced opportunity topic with pipeline's consumer on it, standing in for the relay and the broker. */
export type OpportunityTopic = {
  /** Publishes events as the relay does, keyed by opportunity id. */
  publish(events: readonly CloudEvent[]): Promise<void>;
  /** Resolves once the view has applied every opportunity of `events` up to its highest version among them. */
  caughtUp(pool: PipelineTestApp['pool'], events: readonly CloudEvent[]): Promise<void>;
  close(): Promise<void>;
};

export async function startOpportunityTopic(env: PipelineTestApp): Promise<OpportunityTopic> {
  const namespace = `test-pipeline-${uniqueSuffix()}`;
  const topic = withNamespace(Topics.opportunity, namespace);
  // One partition, so the order of the published events is the order they are handled in.
  await ensureTopics({ brokers: kafkaBrokers(), topics: [{ topic, partitions: 1 }] });
  const publisher: Publisher = createPublisher({ brokers: kafkaBrokers(), clientId: 'pipeline-test' });
  await publisher.connect();
  const consumer: ConsumerRunner = await startOpportunityConsumer({
    brokers: kafkaBrokers(),
    topicNamespace: namespace,
    groupId: `pipeline-test-${uniqueSuffix()}`,
    view: env.view,
    timing: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, maxWaitTimeMs: 100 },
  });
  await consumer.ready;
  return {
    async publish(events) {
      await publisher.publish(
        topic,
        events.map((event) => ({ key: event.subject, event })),
      );
    },
    async caughtUp(pool, events) {
      const expected = new Map<string, number>();
      for (const event of events) {
        expected.set(event.subject, Math.max(expected.get(event.subject) ?? 0, event.streamversion));
      }
      await waitFor(
        'the opportunity view to catch up',
        async () => {
          const rows = await pool.query<{ stream_id: string; version: string }>(
            'SELECT stream_id, version FROM consumer_positions WHERE consumer = $1 AND stream_id = ANY($2)',
            [opportunityViewConsumer, [...expected.keys()].map((id) => `opportunity-${id}`)],
          );
          return (
            rows.rows.length === expected.size &&
            rows.rows.every((row) => Number(row.version) === expected.get(row.stream_id.slice('opportunity-'.length)))
          );
        },
        { timeoutMs: 60_000 },
      );
    },
    async close() {
      await consumer.stop();
      await publisher.disconnect();
    },
  };
}
