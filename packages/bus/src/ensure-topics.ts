import { setTimeout as sleep } from 'node:timers/promises';
import { Admin, findErrorBy } from '@platformatic/kafka';
import { clientOptions } from './client-options.ts';
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
  const admin = new Admin(clientOptions({ brokers: options.brokers, clientId: options.clientId ?? 'l2o-bus-admin' }));
  try {
    const existing = new Set(await admin.listTopics());
    const missing = options.topics.filter((spec) => !existing.has(spec.topic));
    // One request per topic: the settings of a create request apply to every topic in it.
    await Promise.all(missing.map((spec) => createTopic(admin, spec)));
    if (missing.length > 0) logger.info({ topics: missing.map((spec) => spec.topic) }, 'created topics');
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    await growPartitions(admin, options.topics, logger, deadline);
    await waitForLeaders(admin, options.topics, deadline);
  } finally {
    await admin.close();
  }
}

async function createTopic(admin: Admin, spec: TopicSpec): Promise<void> {
  try {
    await admin.createTopics({
      topics: [spec.topic],
      partitions: spec.partitions,
      replicas: spec.replicationFactor ?? -1,
      configs: Object.entries(spec.config ?? {}).map(([name, value]) => ({ name, value })),
    });
  } catch (error) {
    // A concurrent caller created it first; the partition and leader checks below still apply.
    if (!findErrorBy(error as Error, 'apiId', 'TOPIC_ALREADY_EXISTS')) throw error;
  }
}

async function growPartitions(
  admin: Admin,
  specs: readonly TopicSpec[],
  logger: BusLogger,
  deadline: number,
): Promise<void> {
  const counts = await partitionCountsWhenKnown(admin, specs, deadline);
  const short = specs.filter((spec) => (counts.get(spec.topic) ?? 0) < spec.partitions);
  if (short.length === 0) return;
  try {
    await admin.createPartitions({ topics: short.map((spec) => ({ name: spec.topic, count: spec.partitions })) });
    logger.info(
      { topics: short.map((spec) => ({ topic: spec.topic, partitions: spec.partitions })) },
      'added partitions',
    );
  } catch (error) {
    // A concurrent caller may have grown the topic already; the leader check below tells whether we are done.
    if (!findErrorBy(error as Error, 'apiId', 'INVALID_PARTITIONS')) throw error;
  }
}

/**
 * Right after creation a broker can still answer "does not host this topic-partition" for a new
 * topic (its metadata cache lags the controller): ask again until it knows every topic.
 */
async function partitionCountsWhenKnown(
  admin: Admin,
  specs: readonly TopicSpec[],
  deadline: number,
): Promise<Map<string, number>> {
  for (;;) {
    try {
      const metadata = await admin.metadata({ topics: specs.map((spec) => spec.topic), forceUpdate: true });
      return new Map([...metadata.topics].map(([name, topic]) => [name, topic.partitionsCount]));
    } catch (error) {
      const retriable = findErrorBy(error as Error, 'canRetry', true) !== null;
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
      const { topics } = await admin.metadata({ topics: specs.map((spec) => spec.topic), forceUpdate: true });
      const notReady = specs.filter((spec) => {
        const metadata = topics.get(spec.topic);
        if (!metadata || metadata.partitionsCount < spec.partitions) return true;
        return !metadata.partitions.every((partition) => partition.leader >= 0);
      });
      if (notReady.length === 0) return;
      problem = `no leader yet for ${notReady.map((spec) => spec.topic).join(', ')}`;
    } catch (error) {
      problem = (error as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`topics not ready within ${timeoutMs} ms of waiting for leaders: ${problem}`);
}
