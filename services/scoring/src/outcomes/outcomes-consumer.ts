import type pg from 'pg';
import { runNamespacedConsumer } from '@l2o/bus';
import type { BusLogger, ConsumerConnection, ConsumerRunner } from '@l2o/bus';
import { Topics } from '@l2o/contracts';
import type { EventStore } from '@l2o/event-store';
import { createStreamConsumer } from '@l2o/stream-consumer';
import type { StreamConsumerHandlers } from '@l2o/stream-consumer';
import { onOpportunityEvents, outcomeEventNames } from './on-opportunity-events.ts';

/** The consumer group that teaches the predictive model from `l2o.opportunity.v1`. */
export const outcomesConsumerGroup = 'scoring-outcomes';

/** Names scoring's positions in the opportunity streams; stable across releases. */
export const outcomesConsumerName = 'scoring-outcomes';

/** The consumer kit's handlers that record won and lost opportunities for the tenants' predictive models. */
export function createOutcomesConsumer(options: {
  pool: pg.Pool;
  store: Pick<EventStore, 'readStreams'>;
  clock: () => Date;
  logger?: BusLogger;
}): StreamConsumerHandlers {
  const { logger } = options;
  return createStreamConsumer({
    consumer: outcomesConsumerName,
    pool: options.pool,
    handles: (eventName) => (outcomeEventNames as readonly string[]).includes(eventName),
    // Back-filled from the store: replaying an opportunity's events gives the outcomes they gave the first time.
    gaps: { backfillFrom: options.store },
    apply: onOpportunityEvents({ clock: options.clock }),
    onGap: (gap) => logger?.warn(gap, 'an opportunity stream had a gap; back-filled from the event store'),
    ...(logger === undefined ? {} : { logger }),
  });
}

/** Starts the consumer group on `l2o.opportunity.v1`, a batch per fetch of a partition; it takes every event type, as the kit's positions need. */
export async function startOutcomesConsumer(
  options: ConsumerConnection & { consumer: StreamConsumerHandlers },
): Promise<ConsumerRunner> {
  return runNamespacedConsumer({
    connection: options,
    defaultGroupId: outcomesConsumerGroup,
    topics: [Topics.opportunity],
    handle: options.consumer.handle,
    handleBatch: options.consumer.handleBatch,
  });
}
