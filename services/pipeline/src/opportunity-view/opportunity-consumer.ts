import type pg from 'pg';
import { runNamespacedConsumer } from '@l2o/bus';
import type { BusLogger, ConsumerConnection, ConsumerRunner } from '@l2o/bus';
import { Topics } from '@l2o/contracts';
import type { EventStore } from '@l2o/event-store';
import { createStreamConsumer } from '@l2o/stream-consumer';
import type { StreamConsumerHandlers } from '@l2o/stream-consumer';
import type { PipelineSettingsRepository } from '../settings/pipeline-settings.repository.ts';
import { fireStageTimers } from '../stage-sla/fire-stage-timers.ts';
import type { StageTimerFiring } from '../stage-sla/fire-stage-timers.ts';
import { applyOpportunityBatch } from './apply-opportunity-batch.ts';

/** The consumer group of the opportunity view; its dead-letter topic is `l2o.opportunity.v1.dlq.pipeline`. */
export const opportunityConsumerGroup = 'pipeline';

/** The view's name among the kit's positions; `002_stream-consumer.sql` moved its stream versions there. */
export const opportunityViewConsumer = 'pipeline-opportunity-view';

type ViewDeps = {
  pool: pg.Pool;
  store: Pick<EventStore, 'readStreams' | 'readStream' | 'appendToStream'>;
  settings: Pick<PipelineSettingsRepository, 'getMany'>;
  logger?: BusLogger;
};

/**
 * The kit's handlers that keep `pipeline_opportunities` and the stage timers: every event of an
 * opportunity's stream, once and in order, a batch per transaction. Their outbox carries the stage SLA
 * poller's MarkStalled commands (see `createStageSlaPoller`).
 */
export function createOpportunityViewConsumer(deps: ViewDeps): StreamConsumerHandlers<StageTimerFiring> {
  const { logger } = deps;
  return createStreamConsumer<StageTimerFiring>({
    consumer: opportunityViewConsumer,
    pool: deps.pool,
    handles: () => true,
    // Back-fill: the forecast and the stage timers must not stall behind a lost message, and the store has every event.
    gaps: { backfillFrom: deps.store },
    apply: ({ client, events }) => applyOpportunityBatch({ client, settings: deps.settings, events }),
    dispatch: fireStageTimers(deps),
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
export async function startOpportunityConsumer(
  options: ConsumerConnection & { view: Pick<StreamConsumerHandlers<StageTimerFiring>, 'handle' | 'handleBatch'> },
): Promise<ConsumerRunner> {
  return runNamespacedConsumer({
    connection: options,
    defaultGroupId: opportunityConsumerGroup,
    topics: [Topics.opportunity],
    handle: options.view.handle,
    handleBatch: options.view.handleBatch,
  });
}
