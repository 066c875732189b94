import type pg from 'pg';
import { z } from 'zod';
import { PermanentError, runConsumer } from '@l2o/bus';
import type { BusLogger, ConsumerRunner, ConsumerTiming, EventHandler } from '@l2o/bus';
import { catalogueEntryByCloudEventType, Topics, withNamespace } from '@l2o/contracts';
import type { CloudEvent } from '@l2o/contracts';
import type { EventStore } from '@l2o/event-store';
import type { MetricsRegistry } from '@l2o/service-kit';
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
export async function startOpportunityConsumer(
  options: ViewDeps & {
    brokers: string[];
    /** Prefix of the topic name (see `withNamespace`); empty in production. */
    topicNamespace: string;
    /** Default {@link opportunityConsumerGroup}. */
    groupId?: string;
    logger?: BusLogger;
    timing?: ConsumerTiming;
    metrics?: MetricsRegistry;
    onFatalError?: (error: Error) => void;
  },
): Promise<ConsumerRunner> {
  return runConsumer({
    brokers: options.brokers,
    groupId: options.groupId ?? opportunityConsumerGroup,
    topics: [withNamespace(Topics.opportunity, options.topicNamespace)],
    handle: onOpportunityEvent(options),
    logger: options.logger,
    timing: options.timing,
    metrics: options.metrics,
    onFatalError: options.onFatalError,
  });
}
