import type pg from 'pg';
import { runConsumer } from '@l2o/bus';
import type { BusLogger, ConsumerRunner, ConsumerTiming } from '@l2o/bus';
import { Topics, withNamespace } from '@l2o/contracts';
import type { EventStore } from '@l2o/event-store';
import type { MetricsRegistry } from '@l2o/service-kit';
import { cloudEventTypesOf } from '../consumed-event.ts';
import type { ScoringMetrics } from '../scoring-metrics.ts';
import { onLeadEvent, scoredLeadEventNames } from './on-lead-event.ts';

/** The consumer group that scores leads from `l2o.lead.v1`. */
export const leadEventsConsumerGroup = 'scoring';

/** Starts the consumer group that keeps scoring's leads up to date and scores them as they change. */
export async function startLeadEventsConsumer(options: {
  brokers: string[];
  /** Prefix of the topic name (see `withNamespace`); empty in production. */
  topicNamespace: string;
  /** Default {@link leadEventsConsumerGroup}. */
  groupId?: string;
  pool: pg.Pool;
  store: Pick<EventStore, 'readStream' | 'appendToStream'>;
  clock: () => Date;
  rescoreIntervalMs: number;
  scoringMetrics: ScoringMetrics;
  logger?: BusLogger;
  timing?: ConsumerTiming;
  /** The process registry, for the bus's consumer metrics. */
  metrics?: MetricsRegistry;
  onFatalError?: (error: Error) => void;
}): Promise<ConsumerRunner> {
  return runConsumer({
    brokers: options.brokers,
    groupId: options.groupId ?? leadEventsConsumerGroup,
    topics: [withNamespace(Topics.lead, options.topicNamespace)],
    types: cloudEventTypesOf(scoredLeadEventNames),
    handle: onLeadEvent({
      pool: options.pool,
      store: options.store,
      clock: options.clock,
      rescoreIntervalMs: options.rescoreIntervalMs,
      metrics: options.scoringMetrics,
    }),
    logger: options.logger,
    timing: options.timing,
    metrics: options.metrics,
    onFatalError: options.onFatalError,
  });
}
