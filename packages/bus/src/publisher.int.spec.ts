import { Registry } from 'prom-client';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { kafkaBrokers, uniqueSuffix, waitFor } from '@l2o/testing';
import type { CloudEvent } from '@l2o/contracts';
import { runConsumer } from './consumer-runner.ts';
import type { ConsumedEvent, ConsumerRunner } from './consumer-runner.ts';
import { header, makeEvent, readRaw, testTiming, topicFactory } from './kafka-test-support.ts';
import { metricValue } from './metrics-test-support.ts';
import { createPublisher } from './publisher.ts';
import type { PublishItem } from './publisher.ts';

const topics = topicFactory('publisher');
const publisher = createPublisher({ brokers: kafkaBrokers(), clientId: 'bus-publisher-test' });
let runner: ConsumerRunner | undefined;
let connected = false;

async function connectedPublisher() {
  if (!connected) await publisher.connect();
  connected = true;
  return publisher;
}

afterEach(async () => {
  await runner?.stop();
  runner = undefined;
});
afterAll(async () => {
  if (connected) await publisher.disconnect();
  await topics.cleanup();
});

describe('publish and consume', () => {
  it('delivers every event with its attributes intact and in order per key', async () => {
    const topic = await topics.create(3);
    const keys = ['lead-a', 'lead-b', 'lead-c', 'lead-d'];
    const batch = (from: number, to: number): PublishItem[] =>
      Array.from({ length: to - from + 1 }, (_, index) => from + index).flatMap((version) =>
        keys.map((key) => ({
          key,
          event: {
            ...makeEvent({ subject: key, streamversion: version }),
            causationid: `cause-${version}`,
            traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
          },
        })),
      );
    const first = batch(1, 10);
    const second = batch(11, 15);
    const pub = await connectedPublisher();
    await Promise.all([pub.publish(topic, first), pub.publish(topic, second)]);

    const received: ConsumedEvent[] = [];
    runner = await runConsumer({
      brokers: kafkaBrokers(),
      groupId: `g-${uniqueSuffix()}`,
      topics: [topic],
      timing: testTiming,
      handle: async (message) => void received.push(message),
    });
    await waitFor('all 60 events', () => received.length >= 60, { timeoutMs: 20_000 });

    const published = new Map<string, CloudEvent>([...first, ...second].map(({ event }) => [event.id, event]));
    for (const message of received) {
      expect(message.event).toEqual(published.get(message.event.id));
      expect(message.key).toBe(message.event.subject);
    }
    for (const key of keys) {
      const ofKey = received.filter((message) => message.key === key);
      expect(ofKey.map((message) => message.event.streamversion)).toEqual(
        Array.from({ length: 15 }, (_, index) => index + 1),
      );
      expect(new Set(ofKey.map((message) => message.partition)).size).toBe(1);
    }
    expect(received).toHaveLength(60);
  });

  it('puts each key on the partition the Java client chooses for it', async () => {
    const topic = await topics.create(3);
    // Kafka's own murmur2 test vectors (UtilsTest.testMurmur2); the Java client takes (hash & 0x7fffffff) % 3.
    // The negative hashes are where a partitioner taking the unsigned hash would put the key elsewhere.
    const javaPartitions: Record<string, number> = {
      '21': 0, // -973932308
      foobar: 0, // -790332482
      'a-little-bit-long-string': 2, // -985981536
      'a-little-bit-longer-string': 2, // -1486304829
      lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8: 2, // -58897971
      abc: 0, // 479470107
    };
    await (
      await connectedPublisher()
    ).publish(
      topic,
      Object.keys(javaPartitions).map((key) => ({ key, event: makeEvent({ subject: key, streamversion: 1 }) })),
    );

    const messages = await readRaw(topic, Object.keys(javaPartitions).length);
    expect(Object.fromEntries(messages.map((message) => [message.key?.toString(), message.partition]))).toEqual(
      javaPartitions,
    );
  });

  it('writes binary-mode headers with the data as the JSON value', async () => {
    const topic = await topics.create(1);
    const event = {
      ...makeEvent({ subject: 'lead-x', streamversion: 7, data: { email: 'ada@example.com' } }),
      tracestate: 'v=1',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    };
    await (await connectedPublisher()).publish(topic, [{ key: 'lead-x', event }]);

    const [message] = await readRaw(topic, 1);
    expect(message?.key?.toString()).toBe('lead-x');
    expect(JSON.parse(message?.value?.toString() ?? '')).toEqual({ email: 'ada@example.com' });
    expect(message && header(message, 'ce_id')).toBe(event.id);
    expect(message && header(message, 'ce_type')).toBe('l2o.lead.captured.v1');
    expect(message && header(message, 'ce_streamversion')).toBe('7');
    expect(message && header(message, 'ce_tenantid')).toBe('tenant-test');
    expect(message && header(message, 'content-type')).toBe('application/json');
    expect(message && header(message, 'traceparent')).toBe(event.traceparent);
    expect(message && header(message, 'tracestate')).toBe('v=1');
  });

  it('counts what the broker acknowledged in l2o_published_messages_total', async () => {
    const topic = await topics.create(1);
    const registry = new Registry();
    const counted = createPublisher({
      brokers: kafkaBrokers(),
      clientId: 'bus-publisher-metrics-test',
      metrics: registry,
    });
    await counted.connect();
    try {
      await counted.publish(
        topic,
        [1, 2, 3].map((version) => ({
          key: 'lead-p',
          event: makeEvent({ subject: 'lead-p', streamversion: version }),
        })),
      );
    } finally {
      await counted.disconnect();
    }
    expect(await metricValue(registry, 'l2o_published_messages_total', { topic })).toBe(3);
  });
});
