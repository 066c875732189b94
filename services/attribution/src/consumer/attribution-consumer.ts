import { runNamespacedConsumer } from '@l2o/bus';
import type { ConsumerConnection, ConsumerRunner } from '@l2o/bus';
import { Topics } from '@l2o/contracts';
import { createStreamConsumer } from '@l2o/stream-consumer';
import type { StreamConsumerHandlers } from '@l2o/stream-consumer';
import { appendAttributionCommands } from '../attribute-deal/append-attribution-commands.ts';
import type { AttributionCommand } from '../attribute-deal/append-attribution-commands.ts';
import type { AttributionDeps } from '../attribution-deps.ts';
import { applyAttributionBatch } from './apply-attribution-batch.ts';
import { attributionEventNames } from './attribution-batch.fold.ts';

/** The consumer group that reads l2o.lead.v1 and l2o.opportunity.v1 for attribution. */
export const attributionConsumerGroup = 'attribution';

/** Attribution's name among the kit's positions and outbox rows; `002_stream-consumer.sql` moved its stream versions there. */
export const attributionConsumer = 'attribution';

/**
 * The kit's handlers that record touches, milestones and outcomes from lead and opportunity events, a
 * batch per transaction, and append the attributions of the deals they find won once the batch committed.
 */
export function createAttributionConsumer(deps: AttributionDeps): StreamConsumerHandlers {
  const { logger } = deps;
  return createStreamConsumer<AttributionCommand>({
    consumer: attributionConsumer,
    pool: deps.pool,
    handles: (eventName) => attributionEventNames.includes(eventName),
    // Back-fill: a deal's attribution must not stall behind a lost message, and the store has every event.
    gaps: { backfillFrom: deps.store },
    apply: ({ client, events, send }) => applyAttributionBatch({ deps, client, events, send }),
    dispatch: async (commands) => void (await appendAttributionCommands(deps.store, commands)),
    onGap: (gap) => logger?.warn(gap, 'attribution: back-filling events it never received from the store'),
    ...(logger === undefined ? {} : { logger }),
  });
}

/**
 * Starts the consumer group that feeds attribution from both topics, a partition's fetch per batch (one by
 * one only after a batch failed). One consumer reads both: the group's partitions are assigned as if every
 * member subscribed to every topic of the group. Every type is consumed, so the kit sees each stream whole;
 * it moves the position over the types attribution does not read.
 */
export async function startAttributionConsumer(
  options: ConsumerConnection & { handlers: StreamConsumerHandlers },
): Promise<ConsumerRunner> {
  return runNamespacedConsumer({
    connection: options,
    defaultGroupId: attributionConsumerGroup,
    topics: [Topics.lead, Topics.opportunity],
    handle: options.handlers.handle,
    handleBatch: options.handlers.handleBatch,
  });
}
