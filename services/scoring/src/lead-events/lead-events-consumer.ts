import type pg from 'pg';
import { runNamespacedConsumer } from '@l2o/bus';
import type { BusLogger, ConsumerConnection, ConsumerRunner } from '@l2o/bus';
import { Topics } from '@l2o/contracts';
import type { EventStore } from '@l2o/event-store';
import { createStreamConsumer } from '@l2o/stream-consumer';
import type { StreamConsumerHandlers } from '@l2o/stream-consumer';
import type { ScoreRequest } from '../score-lead/score-request.ts';
import type { ScoringMetrics } from '../scoring-metrics.ts';
import { dispatchLeadScores } from './dispatch-lead-scores.ts';
import { onLeadEvents, scoredLeadEventNames } from './on-lead-events.ts';

/** The consumer group that scores leads from `l2o.lead.v1`. */
export const leadEventsConsumerGroup = 'scoring';

/** Names scoring's positions in the lead streams and its outbox rows; stable across releases. */
export const leadEventsConsumerName = 'scoring-lead-events';

/** The consumer kit's handlers that keep scoring's leads up to date and score them as they change. */
export function createLeadEventsConsumer(options: {
  pool: pg.Pool;
  store: Pick<EventStore, 'readStreams' | 'appendToStreams'>;
  clock: () => Date;
  rescoreIntervalMs: number;
  metrics: ScoringMetrics;
  logger?: BusLogger;
}): StreamConsumerHandlers {
  const { pool, store, metrics, logger } = options;
  return createStreamConsumer<ScoreRequest>({
    consumer: leadEventsConsumerName,
    pool,
    handles: (eventName) => (scoredLeadEventNames as readonly string[]).includes(eventName),
    // Back-filled from the store: scoring must not stop scoring a lead over one lost message.
    gaps: { backfillFrom: store },
    apply: onLeadEvents(options),
    dispatch: dispatchLeadScores({ pool, store, metrics, ...(logger === undefined ? {} : { logger }) }),
    onGap: (gap) => logger?.warn(gap, 'a lead stream had a gap; back-filled from the event store'),
    ...(logger === undefined ? {} : { logger }),
  });
}

/** Starts the consumer group on `l2o.lead.v1`, a batch per fetch of a partition; it takes every event type, as the kit's positions need. */
export async function startLeadEventsConsumer(
  options: ConsumerConnection & { consumer: StreamConsumerHandlers },
): Promise<ConsumerRunner> {
  return runNamespacedConsumer({
    connection: options,
    defaultGroupId: leadEventsConsumerGroup,
    topics: [Topics.lead],
    handle: options.consumer.handle,
    handleBatch: options.consumer.handleBatch,
  });
}
