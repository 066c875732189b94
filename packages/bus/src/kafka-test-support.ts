import kafkajs from 'kafkajs';
import { kafkaBrokers, uniqueSuffix, waitFor } from '@l2o/testing';
import type { CloudEvent } from '@l2o/contracts';
import type { KafkaMessage } from 'kafkajs';
import { toKafkaMessage } from './cloud-event.codec.ts';
import { runConsumer } from './consumer-runner.ts';
import type { ConsumerRunner, ConsumerTiming, RunConsumerOptions } from './consumer-runner.ts';
import { ensureTopics } from './ensure-topics.ts';
import type { PublishItem } from './publisher.ts';
import type { RetryOptions } from './retry-policy.ts';

const { Kafka, logLevel, Partitioners } = kafkajs;

/** Short group timings and a fast idle fetch, so joins and stops take milliseconds in tests. */
export const testTiming: ConsumerTiming = {
  sessionTimeoutMs: 6_000,
  heartbeatIntervalMs: 500,
  rebalanceTimeoutMs: 10_000,
  maxWaitTimeMs: 100,
};

export const fastRetry: RetryOptions = { initialDelayMs: 5, maxDelayMs: 50 };

/** A CloudEvent with fixed time and ids derived from the subject and version. */
export function makeEvent(options: {
  subject: string;
  streamversion: number;
  type?: string;
  data?: unknown;
  tenantid?: string;
}): CloudEvent {
  return {
    specversion: '1.0',
    id: `${options.subject}-v${options.streamversion}`,
    type: options.type ?? 'l2o.lead.captured.v1',
    source: '/l2o/bus-test',
    subject: options.subject,
    time: '2025-03-01T10:00:00.000Z',
    datacontenttype: 'application/json',
    tenantid: options.tenantid ?? 'tenant-test',
    streamversion: options.streamversion,
    correlationid: `corr-${options.subject}`,
    data: options.data ?? { n: options.streamversion },
  };
}

/** `count` events of one key, stream versions 1 to `count`. */
export function keyedEvents(key: string, count: number, type?: string): PublishItem[] {
  return Array.from({ length: count }, (_, index) => ({
    key,
    event: makeEvent({ subject: key, streamversion: index + 1, type }),
  }));
}

/**
 * Starts consumers on the test broker with {@link testTiming} and {@link fastRetry} (a test's own `retry`
 * wins); `stopAll()`, for `afterEach`, stops every consumer started so far.
 */
export function consumerStarter() {
  const runners: ConsumerRunner[] = [];
  return {
    async start(options: Omit<RunConsumerOptions, 'brokers' | 'timing'>): Promise<ConsumerRunner> {
      const runner = await runConsumer({ brokers: kafkaBrokers(), timing: testTiming, retry: fastRetry, ...options });
      runners.push(runner);
      return runner;
    },
    async stopAll(): Promise<void> {
      await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    },
  };
}

/** Writes event `streamversion` of `key` without its `ce_id` header: a message no producer of ours would write. */
export async function publishWithoutId(topic: string, key: string, streamversion: number): Promise<void> {
  const raw = testKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await raw.connect();
  try {
    const malformed = toKafkaMessage(makeEvent({ subject: key, streamversion }), key);
    delete malformed.headers.ce_id;
    await raw.send({ topic, messages: [malformed] });
  } finally {
    await raw.disconnect();
  }
}

/** Creates a fresh topic for one test and returns its name; `cleanup()` deletes every topic made so far (and their dead-letter topics). */
export function topicFactory(prefix: string) {
  const created: string[] = [];
  return {
    async create(partitions = 1): Promise<string> {
      const topic = `test.bus.${prefix}.${uniqueSuffix()}`;
      await ensureTopics({ brokers: kafkaBrokers(), topics: [{ topic, partitions }] });
      created.push(topic);
      return topic;
    },
    async cleanup(): Promise<void> {
      if (created.length === 0) return;
      const admin = testKafka().admin();
      await admin.connect();
      try {
        const all = await admin.listTopics();
        const ours = all.filter((name) => created.some((topic) => name === topic || name.startsWith(`${topic}.dlq.`)));
        if (ours.length > 0) await admin.deleteTopics({ topics: ours });
      } finally {
        await admin.disconnect();
      }
    },
  };
}

export function testKafka() {
  return new Kafka({ brokers: kafkaBrokers(), clientId: 'bus-test', logLevel: logLevel.NOTHING });
}

/** Reads a topic from the beginning with a throwaway group until `count` messages arrived. */
export async function readRaw(topic: string, count: number): Promise<Array<KafkaMessage & { partition: number }>> {
  const consumer = testKafka().consumer({
    groupId: `reader-${uniqueSuffix()}`,
    maxWaitTimeInMs: 100,
    sessionTimeout: 6_000,
    heartbeatInterval: 500,
  });
  const received: Array<KafkaMessage & { partition: number }> = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => void received.push({ ...message, partition }),
    });
    await waitFor(`${count} messages on ${topic}`, () => received.length >= count, { timeoutMs: 20_000 });
    return received;
  } finally {
    await consumer.disconnect();
  }
}

/** The group's committed offset per partition of a topic (-1 when nothing is committed). */
export async function committedOffsets(groupId: string, topic: string): Promise<number[]> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (result?.partitions ?? [])
      .sort((a, b) => a.partition - b.partition)
      .map((partition) => Number(partition.offset));
  } finally {
    await admin.disconnect();
  }
}

/** How many messages a topic holds in all (sum of high watermarks; the tests never delete records). */
export async function messageCount(topic: string): Promise<number> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
  } finally {
    await admin.disconnect();
  }
}

export function header(message: KafkaMessage, name: string): string | undefined {
  return message.headers?.[name]?.toString();
}
