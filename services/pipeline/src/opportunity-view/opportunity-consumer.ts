import type pg from 'pg';
import { z } from 'zod';
import { PermanentError, runNamespacedConsumer } from '@l2o/bus';
import type { ConsumerConnection, ConsumerRunner, EventHandler } from '@l2o/bus';
import { catalogueEntryByCloudEventType, Topics } from '@l2o/contracts';
import type { CloudEvent } from '@l2o/contracts';
import type { EventStore } from '@l2o/event-store';
import type { PipelineSettingsRepository } from '../settings/pipeline-settings.repository.ts';
import { applyOpportunityEvent, opportunityEventOf } from './apply-opportunity-event.ts';
import type { StreamEvent } from './pipeline-opportunity.projection.ts';

/** The consumer group of the opportunity view; its dead-letter topic is `l2o.opportunity.v1.dlq.pipeline`. */
export const opportunityConsumerGroup = 'pipeline';

type ViewDeps = {
  pool: pg.Pool;
  store: Pick<EventStore, 'readStream'>;
  settings: PipelineSettingsRepository;
};

/** Applies each opportunity event to `pipeline_opportunities` and the stage timers; retries and offsets are the bus's. */
export function onOpportunityEvent(deps: ViewDeps): EventHandler {
  return async ({ event }) => {
    await applyOpportunityEvent({ ...deps, opportunityId: event.subject, next: streamEventOf(event) });
  };
}

function streamEventOf(event: CloudEvent): StreamEvent {
  try {
    return {
      version: event.streamversion,
      event: opportunityEventOf(catalogueEntryByCloudEventType(event.type), event.data),
    };
  } catch (error) {
    // Data that does not match its own type's schema never will: retrying cannot help.
    if (error instanceof z.ZodError) throw new PermanentError(`invalid ${event.type} data: ${error.message}`);
    throw error;
  }
}

/**
 * Starts the consumer group that keeps pipeline's opportunity view and stage timers on
 * `l2o.opportunity.v1`. Every type on the topic is consumed, known or not, so the view's versions have no holes.
 */
export async function startOpportunityConsumer(options: ViewDeps & ConsumerConnection): Promise<ConsumerRunner> {
  return runNamespacedConsumer({
    connection: options,
    defaultGroupId: opportunityConsumerGroup,
    topics: [Topics.opportunity],
    handle: onOpportunityEvent(options),
  });
}
