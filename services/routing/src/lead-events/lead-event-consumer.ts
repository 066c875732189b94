import { runConsumer } from '@l2o/bus';
import type { ConsumerRunner, ConsumerTiming } from '@l2o/bus';
import { Topics, withNamespace } from '@l2o/contracts';
import type { MetricsRegistry } from '@l2o/service-kit';
import type { AssignDeps } from '../assign/assign-owner.ts';
import { onLeadEvent } from './on-lead-event.ts';
import { routingLeadEventTypes } from './routing-lead-event.ts';

/** Routing's consumer group on the lead topic. */
export const leadConsumerGroup = 'routing';

/**
 * Starts routing's member of the consumer group on `l2o.lead.v1`: offsets are committed only after
 * an event was applied and any assignment it asked for was sent, so a crash redelivers it.
 */
export async function startLeadEventConsumer(
  options: AssignDeps & {
    clock: () => Date;
    brokers: string[];
    /** Prefix of the topic name (see `withNamespace`); empty in production. */
    topicNamespace: string;
    /** Default {@link leadConsumerGroup}. */
    groupId?: string;
    timing?: ConsumerTiming;
    metrics?: MetricsRegistry;
    onFatalError?: (error: Error) => void;
  },
): Promise<ConsumerRunner> {
  return runConsumer({
    brokers: options.brokers,
    groupId: options.groupId ?? leadConsumerGroup,
    topics: [withNamespace(Topics.lead, options.topicNamespace)],
    types: routingLeadEventTypes,
    handle: onLeadEvent(options),
    logger: options.logger,
    timing: options.timing,
    metrics: options.metrics,
    onFatalError: options.onFatalError,
  });
}
