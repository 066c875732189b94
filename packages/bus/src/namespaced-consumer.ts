import { withNamespace } from '@l2o/contracts';
import type { Topic } from '@l2o/contracts';
import type { Registry } from 'prom-client';
import type { EnvelopeKind } from './cloud-event.codec.ts';
import { runConsumer } from './consumer-runner.ts';
import type { BatchHandler, ConsumerRunner, ConsumerTiming, EventHandler } from './consumer-runner.ts';
import type { BusLogger } from './logger.ts';
import type { RetryOptions } from './retry-policy.ts';

/** Where and how a service's consumer runs: what `main.ts` takes from config, and what tests shorten. */
export type ConsumerConnection = {
  brokers: string[];
  /** Prefix of the topic names (see `withNamespace`); empty in production. */
  topicNamespace: string;
  /** The consumer group; the consumer's own default group when omitted. */
  groupId?: string;
  logger?: BusLogger;
  timing?: ConsumerTiming;
  retry?: RetryOptions;
  /** The process registry, for the runner's consumer metrics. */
  metrics?: Registry;
  /** Called when the consumer stopped for good; the process should exit. */
  onFatalError?: (error: Error) => void;
  /** Partitions handled side by side, each in order (default 4 with `handleBatch`, else 1). */
  partitionsConsumedConcurrently?: number;
};

/**
 * Runs a consumer group member on the platform `topics` in the connection's namespace, as the
 * connection's group or else `defaultGroupId`; see {@link runConsumer} for ordering, retries and offsets.
 */
export async function runNamespacedConsumer(options: {
  connection: ConsumerConnection;
  defaultGroupId: string;
  topics: readonly Topic[];
  /** Only these `ce_type`s reach `handle`; every type does when omitted. */
  types?: readonly string[];
  /** Default `aggregate`: events from the event store (see {@link EnvelopeKind}). */
  envelope?: EnvelopeKind;
  handle: EventHandler;
  /** Batch-first handling; `handle` is then the one-by-one fallback (see {@link BatchHandler}). */
  handleBatch?: BatchHandler;
  maxBatchMessages?: number;
}): Promise<ConsumerRunner> {
  const { connection } = options;
  return runConsumer({
    brokers: connection.brokers,
    groupId: connection.groupId ?? options.defaultGroupId,
    topics: options.topics.map((topic) => withNamespace(topic, connection.topicNamespace)),
    handle: options.handle,
    ...(options.handleBatch ? { handleBatch: options.handleBatch } : {}),
    ...(options.maxBatchMessages === undefined ? {} : { maxBatchMessages: options.maxBatchMessages }),
    partitionsConsumedConcurrently: connection.partitionsConsumedConcurrently ?? (options.handleBatch ? 4 : 1),
    types: options.types,
    envelope: options.envelope,
    logger: connection.logger,
    timing: connection.timing,
    retry: connection.retry,
    metrics: connection.metrics,
    onFatalError: connection.onFatalError,
  });
}
