import type pg from 'pg';
import { PermanentError, runConsumer } from '@l2o/bus';
import type { BusLogger, ConsumedEvent, ConsumerRunner, ConsumerTiming, EventHandler } from '@l2o/bus';
import {
  aggregateOfCloudEventType,
  catalogueEntryByCloudEventType,
  streamIdFor,
  topicByAggregate,
  withNamespace,
} from '@l2o/contracts';
import type { CloudEvent } from '@l2o/contracts';
import type { MetricsRegistry } from '@l2o/service-kit';
import { StreamGapError, streamEventFromCloudEvent } from '@l2o/stream-consumer';
import { applyEvents, followedAggregates } from './apply-events.ts';
import type { BatchEvent } from './apply-events.ts';
import type { ReadModel } from './read-model.ts';
import { createReadModelMetrics } from './read-model-metrics.ts';

/** The bus handlers of the read models: a partition's fetched messages in one transaction, or one message. */
export type ReadModelHandlers = {
  /** Applies the messages as one batch; any failure makes the bus retry them one by one. */
  handleBatch: (messages: readonly ConsumedEvent[]) => Promise<void>;
  /** One message: the bus's fallback for a failed batch, and its retries. */
  handle: EventHandler;
};

/**
 * Applies consumed events to the read models, a batch per call; retries, dead letters and offsets are
 * the bus's. Gaps are refused (see `StreamGapError`): a read model is repaired by a rebuild, so it
 * never waits on a back-fill, and a consumer must not apply what follows a loss.
 */
export function readModelHandlers(options: {
  pool: pg.Pool;
  readModels: readonly ReadModel[];
  logger?: BusLogger;
  metrics?: MetricsRegistry;
}): ReadModelHandlers {
  const metrics = createReadModelMetrics({ registry: options.metrics });
  async function handleBatch(messages: readonly ConsumedEvent[]): Promise<void> {
    const events = messages.map((message) => batchEventOf(message.event));
    try {
      await applyEvents({ pool: options.pool, readModels: options.readModels, events });
    } catch (error) {
      if (error instanceof StreamGapError) {
        metrics.gapDetected({ readModel: error.consumer });
        const gapped = messages.find(
          (message) =>
            message.event.streamversion === error.receivedVersion && error.streamId.endsWith(message.event.subject),
        );
        options.logger?.warn(
          { err: error, eventId: gapped?.event.id, attempt: gapped?.attempt },
          'stream gap in a read model',
        );
      }
      throw error;
    }
  }
  return { handleBatch, handle: (message) => handleBatch([message]) };
}

/**
 * The event a read model applies, or, for a type this build's catalogue does not know yet, an event
 * that only moves positions.
 * @throws PermanentError for data that breaks its schema, another tenant's data, or a type of no aggregate.
 */
function batchEventOf(event: CloudEvent): BatchEvent {
  if (catalogueEntryByCloudEventType(event.type) !== undefined) return streamEventFromCloudEvent(event);
  const aggregate = aggregateOfCloudEventType(event.type);
  if (aggregate === undefined) throw new PermanentError(`event ${event.id}: ${event.type} is no aggregate's event`);
  return {
    unknownType: event.type,
    id: event.id,
    streamId: streamIdFor(aggregate, event.subject),
    aggregate,
    streamVersion: event.streamversion,
    tenantId: event.tenantid,
  };
}

/**
 * Starts the consumer group that keeps `readModels` up to date: it reads the topics of the aggregates
 * they follow, every type on them, since a skipped one would leave a hole in a model's positions.
 * Partitions are taken one at a time (the runner's default): the funnel's daily sums join a lead's row
 * to its opportunity's wins, which arrive on another topic, and two batches changing the two sides at
 * once could each miss the other's uncommitted half.
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
  const handlers = readModelHandlers(options);
  return runConsumer({
    brokers: options.brokers,
    groupId: options.groupId,
    topics: [...aggregates].map((aggregate) => withNamespace(topicByAggregate[aggregate], options.topicNamespace)),
    handle: handlers.handle,
    handleBatch: handlers.handleBatch,
    logger: options.logger,
    timing: options.timing,
    onFatalError: options.onFatalError,
    metrics: options.metrics,
  });
}
