import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Topics, withNamespace } from '@l2o/contracts';
import { kafkaBrokers, uniqueSuffix, waitFor } from '@l2o/testing';
import type { ConsumedEvent, ConsumerRunner } from './consumer-runner.ts';
import { ensureTopics } from './ensure-topics.ts';
import { committedOffsets, makeEvent, testKafka, testTiming } from './kafka-test-support.ts';
import { runNamespacedConsumer } from './namespaced-consumer.ts';
import { createPublisher } from './publisher.ts';

const publisher = createPublisher({ brokers: kafkaBrokers(), clientId: 'bus-namespaced-consumer-test' });
const runners: ConsumerRunner[] = [];
const createdTopics: string[] = [];

async function namespacedLeadTopic(): Promise<{ namespace: string; topic: string }> {
  const namespace = `test.bus.ns.${uniqueSuffix()}`;
  const topic = withNamespace(Topics.lead, namespace);
  await ensureTopics({ brokers: kafkaBrokers(), topics: [{ topic, partitions: 1 }] });
  createdTopics.push(topic);
  return { namespace, topic };
}

beforeAll(() => publisher.connect());
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
});
afterAll(async () => {
  await publisher.disconnect();
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const ours = (await admin.listTopics()).filter((name) => createdTopics.some((topic) => name.startsWith(topic)));
    if (ours.length > 0) await admin.deleteTopics({ topics: ours });
  } finally {
    await admin.disconnect();
  }
});

describe('runNamespacedConsumer', () => {
  it('reads the platform topic in the namespace as the default group, only the types asked for', async () => {
    const { namespace, topic } = await namespacedLeadTopic();
    const defaultGroupId = `g-default-${uniqueSuffix()}`;
    await publisher.publish(topic, [
      { key: 'lead-1', event: makeEvent({ subject: 'lead-1', streamversion: 1, type: 'l2o.lead.captured.v1' }) },
      { key: 'lead-1', event: makeEvent({ subject: 'lead-1', streamversion: 2, type: 'l2o.lead.scored.v1' }) },
      { key: 'lead-1', event: makeEvent({ subject: 'lead-1', streamversion: 3, type: 'l2o.lead.captured.v1' }) },
    ]);
    const handled: ConsumedEvent[] = [];
    runners.push(
      await runNamespacedConsumer({
        connection: { brokers: kafkaBrokers(), topicNamespace: namespace, timing: testTiming },
        defaultGroupId,
        topics: [Topics.lead],
        types: ['l2o.lead.captured.v1'],
        handle: async (message) => void handled.push(message),
      }),
    );
    await waitFor('the two captures', () => handled.length >= 2);
    expect(handled.map((message) => [message.topic, message.event.streamversion])).toEqual([
      [topic, 1],
      [topic, 3],
    ]);
    await waitFor('offsets committed by the default group', async () =>
      (await committedOffsets(defaultGroupId, topic))[0] === 3 ? true : undefined,
    );
  });

  it('joins the group the connection names instead of the default', async () => {
    const { namespace, topic } = await namespacedLeadTopic();
    const groupId = `g-configured-${uniqueSuffix()}`;
    await publisher.publish(topic, [{ key: 'lead-2', event: makeEvent({ subject: 'lead-2', streamversion: 1 }) }]);
    const handled: ConsumedEvent[] = [];
    runners.push(
      await runNamespacedConsumer({
        connection: { brokers: kafkaBrokers(), topicNamespace: namespace, groupId, timing: testTiming },
        defaultGroupId: `g-unused-${uniqueSuffix()}`,
        topics: [Topics.lead],
        handle: async (message) => void handled.push(message),
      }),
    );
    await waitFor('the event', () => handled.length >= 1);
    await waitFor('offsets committed by the configured group', async () =>
      (await committedOffsets(groupId, topic))[0] === 1 ? true : undefined,
    );
  });
});
