import { runNamespacedConsumer } from '@l2o/bus';
import type { ConsumerConnection, ConsumerRunner } from '@l2o/bus';
import { cloudEventTypesOf, Topics } from '@l2o/contracts';
import type { AttributionDeps } from '../attribution-deps.ts';
import { attributionEventNames, onAttributionEvent } from './on-attribution-event.ts';

/** The consumer group that reads l2o.lead.v1 and l2o.opportunity.v1 for attribution. */
export const attributionConsumerGroup = 'attribution';

/**
 * Starts the consumer group that feeds attribution from both topics. One consumer reads both: kafkajs
 * assigns a group's partitions as if every member subscribed to every topic of the group.
 */
export async function startAttributionConsumer(options: AttributionDeps & ConsumerConnection): Promise<ConsumerRunner> {
  return runNamespacedConsumer({
    connection: options,
    defaultGroupId: attributionConsumerGroup,
    topics: [Topics.lead, Topics.opportunity],
    types: cloudEventTypesOf(attributionEventNames),
    handle: onAttributionEvent(options),
  });
}
