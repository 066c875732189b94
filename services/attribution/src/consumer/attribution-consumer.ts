import { runConsumer } from '@l2o/bus';
import type { ConsumerRunner, ConsumerTiming, RetryOptions } from '@l2o/bus';
import { Topics, withNamespace } from '@l2o/contracts';
import type { MetricsRegistry } from '@l2o/service-kit';
import type { AttributionDeps } from '../attribution-deps.ts';
import { cloudEventTypesOf } from '../consumed-event.ts';
import { attributionEventNames, onAttributionEvent } from './on-attribution-event.ts';

/** The consumer group that reads l2o.lead.v1 and l2o.opportunity.v1 for attribution. */
export const attributionConsumerGroup = 'attribution';

/**
 * Starts the consumer group that feeds attribution from both topics. One consumer reads both: kafkajs
 * assigns a group's partitions as if every member subscribed to every topic of the group.
 */
export async function startAttributionConsumer(
  options: AttributionDeps & {
    brokers: string[];
    /** Prefix of the topic names (see `withNamespace`); empty in production. */
    topicNamespace: string;
    /** Default {@link attributionConsumerGroup}. */
    groupId?: string;
    timing?: ConsumerTiming;
    retry?: RetryOptions;
    metrics?: MetricsRegistry;
    onFatalError?: (error: Error) => void;
  },
): Promise<ConsumerRunner> {
  return runConsumer({
    brokers: options.brokers,
    groupId: options.groupId ?? attributionConsumerGroup,
    topics: [Topics.lead, Topics.opportunity].map((topic) => withNamespace(topic, options.topicNamespace)),
    types: cloudEventTypesOf(attributionEventNames),
    handle: onAttributionEvent(options),
    logger: options.logger,
    timing: options.timing,
    retry: options.retry,
    metrics: options.metrics,
    onFatalError: options.onFatalError,
  });
}
