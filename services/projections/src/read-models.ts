import { attributionReadModel } from './attribution/attribution.projection.ts';
import { funnelReadModel } from './funnel/funnel.projection.ts';
import { leadTimelineReadModel } from './lead-timeline/lead-timeline.projection.ts';
import { leadsReadModel } from './leads/leads.projection.ts';
import { pipelineReadModel } from './pipeline/pipeline.projection.ts';
import type { ReadModel } from './read-model/read-model.ts';
import { responseReadModel } from './response/response.projection.ts';

export { applyEvent, applyEvents } from './read-model/apply-events.ts';
export type { ApplyOutcome, ApplyResult, BatchEvent } from './read-model/apply-events.ts';
export type { ReadModel, ReadModelBatch } from './read-model/read-model.ts';
export { StreamGapError, streamEventFromCloudEvent, streamEventFromRecorded } from '@l2o/stream-consumer';
export type { StreamEvent } from '@l2o/stream-consumer';

/** Every read model this service keeps, in the order they apply an event. */
export const readModels: readonly ReadModel[] = [
  leadsReadModel,
  leadTimelineReadModel,
  funnelReadModel,
  responseReadModel,
  pipelineReadModel,
  attributionReadModel,
];

/**
 * The read models a name stands for: one by its name, or all of them for `all`.
 * @throws Error naming the known read models when there is none of that name.
 */
export function readModelsNamed(name: string): ReadModel[] {
  if (name === 'all') return [...readModels];
  const readModel = readModels.find((candidate) => candidate.name === name);
  if (readModel === undefined) {
    throw new Error(`no read model ${name}; known: ${readModels.map((model) => model.name).join(', ')}, or all`);
  }
  return [readModel];
}
