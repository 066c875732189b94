import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, ITopicMetadata } from 'kafkajs';
import { createKafkaClient } from './kafka-client.ts';
import { silentLogger } from './logger.ts';
import type { BusLogger } from './logger.ts';

/** A topic and the partition count it should have at least. */
export type TopicSpec = {
  topic: string;
  partitions: number;
  /** Default: the broker's `default.replication.factor`. */
  replicationFactor?: number;
  /** Topic-level settings such as `retention.ms`, applied on creation only. */
  config?: Record<string, string>;
};

/**
 * Creates the topics that are missing and adds partitions to those that have fewer than asked,
 * then waits until the metadata shows every partition with a leader. Safe to call repeatedly and
 * concurrently; it never removes partitions or changes the settings of an existing topic.
 */
export async function ensureTopics(options: {
  brokers: string[];
  topics: readonly TopicSpec[];
  clientId?: string;
  logger?: BusLogger;
  /** How long to wait for leaders (default 30 s). */
  timeoutMs?: number;
}): Promise<void> {
  if (options.topics.length === 0) return;
  const logger = options.logger ?? silentLogger;
  const kafka = createKafkaClient({ brokers: options.brokers, clientId: options.clientId ?? 'l2o-bus-admin', logger });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = options.topics.filter((spec) => !existing.has(spec.topic));
    if (missing.length > 0) {
      // Returns false instead of failing when a concurrent caller created them first. Leaders are
      // awaited below: kafkajs's own wait gives up when the broker does not know the new topic yet.
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((spec) => ({
          topic: spec.topic,
          numPartitions: spec.partitions,
          replicationFactor: spec.replicationFactor ?? -1,
          configEntries: Object.entries(spec.config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
      logger.info({ topics: missing.map((spec) => spec.topic) }, 'created topics');
    }
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    await growPartitions(admin, options.topics, logger, deadline);
    await waitForLeaders(admin, options.topics, deadline);
  } finally {
    await admin.disconnect();
  }
}

async function growPartitions(
  admin: Admin,
  specs: readonly TopicSpec[],
  logger: BusLogger,
  deadline: number,
): Promise<void> {
  const { topics } = await fetchMetadataWhenKnown(admin, specs, deadline);
  const counts = new Map(topics.map((topic) => [topic.name, topic.partitions.length]));
  const short = specs.filter((spec) => (counts.get(spec.topic) ?? 0) < spec.partitions);
  if (short.length === 0) return;
  try {
    await admin.createPartitions({
      topicPartitions: short.map((spec) => ({ topic: spec.topic, count: spec.partitions })),
    });
    logger.info(
      { topics: short.map((spec) => ({ topic: spec.topic, partitions: spec.partitions })) },
      'added partitions',
    );
  } catch (error) {
    // A concurrent caller may have grown the topic already; the leader check below tells whether we are done.
    if ((error as { type?: unknown }).type !== 'INVALID_PARTITIONS') throw error;
  }
}

/**
 * Right after creation a broker can still answer "does not host this topic-partition" for a new
 * topic (its metadata cache lags the controller), and kafkajs gives up on that after a few tries.
 */
async function fetchMetadataWhenKnown(admin: Admin, specs: readonly TopicSpec[], deadline: number) {
  for (;;) {
    try {
      return await admin.fetchTopicMetadata({ topics: specs.map((spec) => spec.topic) });
    } catch (error) {
      const retriable = (error as { retriable?: unknown }).retriable === true;
      if (!retriable || Date.now() >= deadline) throw error;
      await sleep(100);
    }
  }
}

async function waitForLeaders(admin: Admin, specs: readonly TopicSpec[], deadline: number): Promise<void> {
  const timeoutMs = Math.max(0, deadline - Date.now());
  let problem = 'no metadata yet';
  while (Date.now() < deadline) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((spec) => spec.topic) });
      const byName = new Map(topics.map((topic) => [topic.name, topic]));
      const notReady = specs.filter((spec) => !isReady(byName.get(spec.topic), spec.partitions));
      if (notReady.length === 0) return;
      problem = `no leader yet for ${notReady.map((spec) => spec.topic).join(', ')}`;
    } catch (error) {
      problem = (error as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`topics not ready within ${timeoutMs} ms of waiting for leaders: ${problem}`);
}

function isReady(metadata: ITopicMetadata | undefined, partitions: number): boolean {
  if (!metadata || metadata.partitions.length < partitions) return false;
  return metadata.partitions.every((partition) => partition.partitionErrorCode === 0 && partition.leader >= 0);
}
