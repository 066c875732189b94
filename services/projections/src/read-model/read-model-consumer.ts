import type pg from 'pg';
import { runConsumer } from '@l2o/bus';
import type { BusLogger, ConsumerRunner, ConsumerTiming, EventHandler } from '@l2o/bus';
import { topicByAggregate, withNamespace } from '@l2o/contracts';
import type { MetricsRegistry } from '@l2o/service-kit';
import { applyEvent, consumedCloudEventTypes, followedAggregates, StreamGapError } from './apply-event.ts';
import { projectedFromCloudEvent } from './projected-event.ts';
import type { ReadModel } from './read-model.ts';
import { createReadModelMetrics } from './read-model-metrics.ts';

/** Applies each consumed event to the read models; retries, dead letters and offsets are the bus's. */
export function onReadModelEvent(options: {
  pool: pg.Pool;
  readModels: readonly ReadModel[];
  logger?: BusLogger;
  metrics?: MetricsRegistry;
}): EventHandler {
  const metrics = createReadModelMetrics({ registry: options.metrics });
  return async ({ event, attempt }) => {
    try {
      await applyEvent({ pool: options.pool, readModels: options.readModels, event: projectedFromCloudEvent(event) });
    } catch (error) {
      if (error instanceof StreamGapError) {
        metrics.gapDetected({ readModel: error.readModel });
        options.logger?.warn({ err: error, eventId: event.id, attempt }, 'stream gap in a read model');
      }
      throw error;
    }
  };
}

/**
 * Starts the consumer group that keeps `readModels` up to date: it reads the topics of the aggregates
 * they follow, and from them every catalogued type of those aggregates (see `consumedCloudEventTypes`).
 */
export async function startReadModelConsumer(options: {
  brokers: string[];
  /** Prefix of the topic names (see `withNamespace`); empty in production. */
  topicNamespace: string;
  groupId: string;
  pool: pg.Pool;
  readModels: readonly ReadModel[];
  logger?: BusLogger;
  timing?: ConsumerTiming;
  onFatalError?: (error: Error) => void;
  /** The process registry, for the consumer's throughput, failure, lag and gap metrics. */
  metrics?: MetricsRegistry;
}): Promise<ConsumerRunner> {
  const aggregates = new Set(options.readModels.flatMap((model) => [...followedAggregates(model)]));
  return runConsumer({
    brokers: options.brokers,
    groupId: options.groupId,
    topics: [...aggregates].map((aggregate) => withNamespace(topicByAggregate[aggregate], options.topicNamespace)),
    types: consumedCloudEventTypes(options.readModels),
    handle: onReadModelEvent(options),
    logger: options.logger,
    timing: options.timing,
    onFatalError: options.onFatalError,
    metrics: options.metrics,
  });
}
