import type pg from 'pg';
import { runNamespacedConsumer } from '@l2o/bus';
import type { ConsumerConnection, ConsumerRunner } from '@l2o/bus';
import { cloudEventTypesOf, Topics } from '@l2o/contracts';
import type { EventStore } from '@l2o/event-store';
import type { ScoringMetrics } from '../scoring-metrics.ts';
import { onLeadEvent, scoredLeadEventNames } from './on-lead-event.ts';

/** The consumer group that scores leads from `l2o.lead.v1`. */
export const leadEventsConsumerGroup = 'scoring';

/** Starts the consumer group that keeps scoring's leads up to date and scores them as they change. */
export async function startLeadEventsConsumer(
  options: ConsumerConnection & {
    pool: pg.Pool;
    store: Pick<EventStore, 'readStream' | 'appendToStream'>;
    clock: () => Date;
    rescoreIntervalMs: number;
    scoringMetrics: ScoringMetrics;
  },
): Promise<ConsumerRunner> {
  return runNamespacedConsumer({
    connection: options,
    defaultGroupId: leadEventsConsumerGroup,
    topics: [Topics.lead],
    types: cloudEventTypesOf(scoredLeadEventNames),
    handle: onLeadEvent({
      pool: options.pool,
      store: options.store,
      clock: options.clock,
      rescoreIntervalMs: options.rescoreIntervalMs,
      metrics: options.scoringMetrics,
    }),
  });
}
