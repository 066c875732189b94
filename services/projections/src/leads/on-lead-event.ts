import type pg from 'pg';
import { runConsumer } from '@l2o/bus';
import type { BusLogger, ConsumerRunner, ConsumerTiming, EventHandler } from '@l2o/bus';
import { Topics, withNamespace } from '@l2o/contracts';
import type { MetricsRegistry } from '@l2o/service-kit';
import { applyLeadEvent, leadsProjectionTypes } from './leads.projection.ts';

/** Applies each lead event to the leads read model; retries, dead letters and offsets are the bus's. */
export function onLeadEvent(options: { pool: pg.Pool }): EventHandler {
  return async ({ event }) => {
    await applyLeadEvent({ pool: options.pool, event });
  };
}

/** Starts the consumer group that keeps the leads read model up to date with the lead topic. */
export async function startLeadsConsumer(options: {
  brokers: string[];
  /** Prefix of the topic name (see `withNamespace`); empty in production. */
  topicNamespace: string;
  groupId: string;
  pool: pg.Pool;
  logger?: BusLogger;
  timing?: ConsumerTiming;
  onFatalError?: (error: Error) => void;
  /** The process registry, for the consumer's throughput, failure and lag metrics. */
  metrics?: MetricsRegistry;
}): Promise<ConsumerRunner> {
  return runConsumer({
    brokers: options.brokers,
    groupId: options.groupId,
    topics: [withNamespace(Topics.lead, options.topicNamespace)],
    types: leadsProjectionTypes,
    handle: onLeadEvent({ pool: options.pool }),
    logger: options.logger,
    timing: options.timing,
    onFatalError: options.onFatalError,
    metrics: options.metrics,
  });
}
