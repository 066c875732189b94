import { randomUUID } from 'node:crypto';
import type { ScoreLead } from '@l2o/domain';
import { eventMetadata } from '@l2o/event-store';
import type { EventMetadata, EventMetadataOptions } from '@l2o/event-store';

/**
 * A `ScoreLead` on its way to a lead, in the JSON form the consumer kit keeps in its outbox: the
 * command's data and time, and the metadata of the events it appends.
 */
export type ScoreRequest = {
  /** Names the request; the ids of the events it appends derive from it, so a request sent twice appends once. */
  id: string;
  data: ScoreLead['data'];
  /** The command's time, ISO 8601. */
  at: string;
  metadata: EventMetadata;
};

export function toScoreRequest(command: ScoreLead, metadata: EventMetadata): ScoreRequest {
  return { id: randomUUID(), data: command.data, at: command.metadata.now.toISOString(), metadata };
}

export function toScoreLead(request: ScoreRequest): ScoreLead {
  return { type: 'ScoreLead', data: request.data, metadata: { now: new Date(request.at) } };
}

/** The metadata of the events a scoring appends, caused by `causationId` when an event caused it. */
export function scoringMetadata(origin: Omit<EventMetadataOptions, 'producer'>): EventMetadata {
  return eventMetadata({ ...origin, producer: 'scoring' });
}
