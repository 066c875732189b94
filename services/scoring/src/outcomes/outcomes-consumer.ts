import type pg from 'pg';
import { runConsumer } from '@l2o/bus';
import type { BusLogger, ConsumerRunner, ConsumerTiming } from '@l2o/bus';
import { Topics, withNamespace } from '@l2o/contracts';
import type { MetricsRegistry } from '@l2o/service-kit';
import { cloudEventTypesOf } from '../consumed-event.ts';
import { onOpportunityEvent, outcomeEventNames } from './on-opportunity-event.ts';

/** The consumer group that teaches the predictive model from `l2o.opportunity.v1`. */
export const outcomesConsumerGroup = 'scoring-outcomes';

/** Starts the consumer group that records won and lost opportunities for the tenants' predictive models. */
export async function startOutcomesConsumer(options: {
  brokers: string[];
  /** Prefix of the topic name (see `withNamespace`); empty in production. */
  topicNamespace: string;
  /** Default {@link outcomesConsumerGroup}. */
  groupId?: string;
  pool: pg.Pool;
  clock: () => Date;
  logger?: BusLogger;
  timing?: ConsumerTiming;
  metrics?: MetricsRegistry;
  onFatalError?: (error: Error) => void;
}): Promise<ConsumerRunner> {
  return runConsumer({
    brokers: options.brokers,
    groupId: options.groupId ?? outcomesConsumerGroup,
    topics: [withNamespace(Topics.opportunity, options.topicNamespace)],
    types: cloudEventTypesOf(outcomeEventNames),
    handle: onOpportunityEvent({ pool: options.pool, clock: options.clock }),
    logger: options.logger,
    timing: options.timing,
    metrics: options.metrics,
    onFatalError: options.onFatalError,
  });
}
