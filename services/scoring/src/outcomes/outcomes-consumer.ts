import type pg from 'pg';
import { runNamespacedConsumer } from '@l2o/bus';
import type { ConsumerConnection, ConsumerRunner } from '@l2o/bus';
import { cloudEventTypesOf, Topics } from '@l2o/contracts';
import { onOpportunityEvent, outcomeEventNames } from './on-opportunity-event.ts';

/** The consumer group that teaches the predictive model from `l2o.opportunity.v1`. */
export const outcomesConsumerGroup = 'scoring-outcomes';

/** Starts the consumer group that records won and lost opportunities for the tenants' predictive models. */
export async function startOutcomesConsumer(
  options: ConsumerConnection & { pool: pg.Pool; clock: () => Date },
): Promise<ConsumerRunner> {
  return runNamespacedConsumer({
    connection: options,
    defaultGroupId: outcomesConsumerGroup,
    topics: [Topics.opportunity],
    types: cloudEventTypesOf(outcomeEventNames),
    handle: onOpportunityEvent({ pool: options.pool, clock: options.clock }),
  });
}
