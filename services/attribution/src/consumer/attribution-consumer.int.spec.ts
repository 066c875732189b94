import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, ensureTopics } from '@l2o/bus';
import type { ConsumerRunner, Publisher } from '@l2o/bus';
import { Topics, withNamespace } from '@l2o/contracts';
import type { CloudEvent } from '@l2o/contracts';
import { kafkaBrokers, uniqueSuffix, waitFor } from '@l2o/testing';
import { leadJourney } from '../attribution-events.fixture.ts';
import { centsOf, startAttributionTestApp } from '../attribution-test-app.fixture.ts';
import type { AttributionTestApp } from '../attribution-test-app.fixture.ts';
import { attributionEventId } from '../attribute-deal/attribution-stream.decider.ts';
import { startAttributionConsumer } from './attribution-consumer.ts';

describe('attribution consumer', () => {
  const namespace = `test-attr-${uniqueSuffix()}`;
  const leadTopic = withNamespace(Topics.lead, namespace);
  const opportunityTopic = withNamespace(Topics.opportunity, namespace);
  let t: AttributionTestApp;
  let publisher: Publisher;
  let consumer: ConsumerRunner | undefined;

  beforeAll(async () => {
    t = await startAttributionTestApp();
    await ensureTopics({
      brokers: kafkaBrokers(),
      topics: [
        { topic: leadTopic, partitions: 2 },
        { topic: opportunityTopic, partitions: 2 },
      ],
    });
    publisher = createPublisher({ brokers: kafkaBrokers(), clientId: 'attribution-test' });
    await publisher.connect();
    consumer = await startAttributionConsumer({
      handlers: t.consumer,
      brokers: kafkaBrokers(),
      topicNamespace: namespace,
      groupId: `attribution-test-${uniqueSuffix()}`,
      timing: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, maxWaitTimeMs: 100 },
      retry: { initialDelayMs: 20, maxDelayMs: 200 },
    });
    await consumer.ready;
  });
  afterAll(async () => {
    await consumer?.stop();
    await publisher.disconnect();
    await t.close();
  });

  const publish = (topic: string, events: CloudEvent[]) =>
    publisher.publish(
      topic,
      events.map((event) => ({ key: event.subject, event })),
    );

  it('turns lead events, an opening and a win into nine attributions, and a redelivered win into none', async () => {
    const { tenantId } = await t.newTenant();
    const journey = leadJourney({ tenantId });
    await publish(leadTopic, [
      journey.captured({ channel: 'web_form', campaign: 'spring', occurredAt: '2025-03-01T10:00:00.000Z' }),
      journey.touched({ channel: 'ad', campaign: 'q2', medium: 'paid_social', occurredAt: '2025-03-10T10:00:00.000Z' }),
      journey.qualified('2025-03-11T10:00:00.000Z'),
      journey.converted('2025-04-01T10:00:00.000Z'),
    ]);
    const opened = journey.opened('2025-04-01T10:00:00.000Z');
    const won = journey.won('2025-06-01T10:00:00.000Z', 48_000.5);
    await publish(opportunityTopic, [opened, won]);

    const events = await waitFor('nine attributions', async () => {
      const stored = await t.attributionEvents(journey.opportunityId);
      return stored.length >= 9 && stored;
    });
    expect(events.map((event) => event.data.model).sort()).toEqual([
      'first_touch',
      'full_path',
      'last_touch',
      'linear',
      'markov',
      'position_based',
      'shapley',
      'time_decay',
      'w_shaped',
    ]);
    for (const event of events) {
      expect(centsOf(event.data.credits), event.data.model).toBe(4_800_050);
      expect(event.id).toBe(attributionEventId(event.data));
      expect(event.metadata).toMatchObject({ tenantId, causationId: won.id, producer: 'attribution' });
    }

    // The marker is handled after the redelivery on the same partition, so once it is in, the redelivery was handled.
    const marker = journey.lost('2025-06-02T10:00:00.000Z');
    await publish(opportunityTopic, [won, marker]);
    await waitFor('the marker applied', async () => {
      const result = await t.pool.query<{ outcome: string }>(
        'SELECT outcome FROM attribution_journeys WHERE opportunity_id = $1',
        [journey.opportunityId],
      );
      return result.rows[0]?.outcome === 'lost';
    });
    expect(await t.attributionEvents(journey.opportunityId)).toHaveLength(9);
  });
});
