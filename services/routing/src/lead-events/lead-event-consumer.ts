import { runNamespacedConsumer } from '@l2o/bus';
import type { ConsumerConnection, ConsumerRunner } from '@l2o/bus';
import { Topics } from '@l2o/contracts';
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
  options: AssignDeps & ConsumerConnection & { clock: () => Date },
): Promise<ConsumerRunner> {
  return runNamespacedConsumer({
    connection: options,
    defaultGroupId: leadConsumerGroup,
    topics: [Topics.lead],
    types: routingLeadEventTypes,
    handle: onLeadEvent(options),
  });
}
