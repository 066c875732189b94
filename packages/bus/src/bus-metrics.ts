import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { ErrorKind } from './retry-policy.ts';

/** How a consumed message was resolved before its offset could be committed. */
export type MessageOutcome = 'handled' | 'skipped' | 'dead_lettered';

/** What the consumer runner records; every method is a no-op when the runner has no registry. */
export type ConsumerMetrics = {
  resolved(options: { topic: string; outcome: MessageOutcome }): void;
  handlerFailed(options: { topic: string; kind: ErrorKind }): void;
  /** Starts timing one handler call; the returned function stops it. */
  startHandling(options: { topic: string }): () => void;
  /** `highWatermark − nextOffset`: what is left on the partition after this member's position, as of the last fetch. */
  positioned(options: { topic: string; partition: number; nextOffset: number; highWatermark: string }): void;
  /** Drops the lag of partitions this member no longer owns, so two members never report one partition. */
  assigned(assignment: Readonly<Record<string, readonly number[]>>): void;
  /** Drops every lag this member reported; on stop, when it owns nothing any more. */
  released(): void;
};

/** What the publisher records. */
export type PublisherMetrics = {
  published(options: { topic: string; count: number }): void;
};

const ignore = (): void => undefined;

const noConsumerMetrics: ConsumerMetrics = {
  resolved: ignore,
  handlerFailed: ignore,
  startHandling: () => ignore,
  positioned: ignore,
  assigned: ignore,
  released: ignore,
};

/**
 * The metric registered under `config.name`, or a new one on `registry`: the consumers and publishers
 * of one process share its registry and register the same names, which prom-client refuses twice.
 */
function shared<L extends string, M>(
  registry: Registry,
  Metric: new (config: { name: string; help: string; labelNames: readonly L[]; registers: Registry[] }) => M,
  config: { name: string; help: string; labelNames: readonly L[] },
): M {
  return (registry.getSingleMetric(config.name) as M | undefined) ?? new Metric({ ...config, registers: [registry] });
}

/** The consumer metrics of one consumer group, registered on `registry` (or no-ops without one). */
export function createConsumerMetrics(options: { registry: Registry | undefined; groupId: string }): ConsumerMetrics {
  const { registry, groupId: group } = options;
  if (registry === undefined) return noConsumerMetrics;

  const messages = shared(registry, Counter, {
    name: 'l2o_consumer_messages_total',
    help: 'Consumed messages by outcome: handled, skipped (a type the group does not handle) or dead_lettered',
    labelNames: ['group', 'topic', 'outcome'] as const,
  });
  const failures = shared(registry, Counter, {
    name: 'l2o_consumer_handler_failures_total',
    help: 'Failed handler attempts by error kind; transient ones retry without limit, so a steady rise means a stalled partition',
    labelNames: ['group', 'topic', 'kind'] as const,
  });
  const duration = shared(registry, Histogram, {
    name: 'l2o_consumer_handle_duration_seconds',
    help: 'Time of one handler call (each attempt, failed ones included; backoff waits excluded)',
    labelNames: ['group', 'topic'] as const,
  });
  const lag = shared(registry, Gauge, {
    name: 'l2o_consumer_lag',
    help: 'Messages on the partition after the last one this member processed, as of its last fetch',
    labelNames: ['group', 'topic', 'partition'] as const,
  });

  const reported = new Map<string, { topic: string; partition: string }>();
  const forget = (key: string): void => {
    const labels = reported.get(key);
    if (labels === undefined) return;
    lag.remove({ group, ...labels });
    reported.delete(key);
  };

  return {
    resolved: ({ topic, outcome }) => messages.inc({ group, topic, outcome }),
    handlerFailed: ({ topic, kind }) => failures.inc({ group, topic, kind }),
    startHandling: ({ topic }) => {
      const stop = duration.startTimer({ group, topic });
      return () => void stop();
    },
    positioned: ({ topic, partition, nextOffset, highWatermark }) => {
      const labels = { topic, partition: String(partition) };
      reported.set(`${topic}\u0000${partition}`, labels);
      lag.set({ group, ...labels }, Math.max(0, Number(highWatermark) - nextOffset));
    },
    assigned: (assignment) => {
      for (const [key, { topic, partition }] of reported) {
        if (!(assignment[topic] ?? []).includes(Number(partition))) forget(key);
      }
    },
    released: () => {
      for (const key of [...reported.keys()]) forget(key);
    },
  };
}

/** The publisher's metrics, registered on `registry` (or a no-op without one). */
export function createPublisherMetrics(options: { registry: Registry | undefined }): PublisherMetrics {
  const { registry } = options;
  if (registry === undefined) return { published: ignore };
  const published = shared(registry, Counter, {
    name: 'l2o_published_messages_total',
    help: 'Messages the broker acknowledged (acks = all), by topic',
    labelNames: ['topic'] as const,
  });
  return { published: ({ topic, count }) => published.inc({ topic }, count) };
}
