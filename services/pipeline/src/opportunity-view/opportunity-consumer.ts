import type pg from 'pg';
import { runNamespacedConsumer } from '@l2o/bus';
import type { BusLogger, ConsumerConnection, ConsumerRunner } from '@l2o/bus';
import { Topics } from '@l2o/contracts';
import type { EventStore } from '@l2o/event-store';
import { createStreamConsumer } from '@l2o/stream-consumer';
import type { StreamConsumerHandlers } from '@l2o/stream-consumer';
import type { PipelineSettingsRepository } from '../settings/pipeline-settings.repository.ts';
import { applyOpportunityBatch } from './apply-opportunity-batch.ts';

/** The consumer group of the opportunity view; its dead-letter topic is `l2o.opportunity.v1.dlq.pipeline`. */
export const opportunityConsumerGroup = 'pipeline';

/** The view's name among the kit's positions; `002_stream-consumer.sql` moved its stream versions there. */
export const opportunityViewConsumer = 'pipeline-opportunity-view';

type ViewDeps = {
  pool: pg.Pool;
  store: Pick<EventStore, 'readStreams'>;
  settings: Pick<PipelineSettingsRepository, 'getMany'>;
  logger?: BusLogger;
};

/**
 * The kit's handlers that keep `pipeline_opportunities` and the stage timers: every event of an
 * opportunity's stream, once and in order, a batch per transaction.
 */
export function createOpportunityViewConsumer(deps: ViewDeps): StreamConsumerHandlers {
  const { logger } = deps;
  return createStreamConsumer({
    consumer: opportunityViewConsumer,
    pool: deps.pool,
    handles: () => true,
    // Back-fill: the forecast and the stage timers must not stall behind a lost message, and the store has every event.
    gaps: { backfillFrom: deps.store },
    apply: ({ client, events }) => applyOpportunityBatch({ client, settings: deps.settings, events }),
    onGap: (gap) => logger?.warn(gap, 'opportunity view: back-filling events it never received from the store'),
    ...(logger === undefined ? {} : { logger }),
  });
}

/**
 * Starts the consumer group that keeps pipeline's opportunity view and stage timers on
 * `l2o.opportunity.v1`, a partition's fetch per batch (one by one only after a batch failed). Every type
 * on the topic is consumed, known or not: the kit moves the stream's position over the types the view
 * does not read.
 */
export async function startOpportunityConsumer(options: ViewDeps & ConsumerConnection): Promise<ConsumerRunner> {
  const view = createOpportunityViewConsumer(options);
  return runNamespacedConsumer({
    connection: options,
    defaultGroupId: opportunityConsumerGroup,
    topics: [Topics.opportunity],
    handle: view.handle,
    handleBatch: view.handleBatch,
  });
}
