import { eventMetadata } from '@l2o/event-store';
import type { EventMetadata, EventMetadataOptions } from '@l2o/event-store';

/** The metadata of events pipeline appends: tenant, producer, and the ids that trace them to their cause. */
export function pipelineMetadata(origin: Omit<EventMetadataOptions, 'producer'>): EventMetadata {
  return eventMetadata({ ...origin, producer: 'pipeline' });
}
