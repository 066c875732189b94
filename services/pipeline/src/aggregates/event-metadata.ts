import type { EventMetadata } from '@l2o/event-store';

/** The metadata of events pipeline appends: tenant, producer, and the ids that trace them to their cause. */
export function pipelineMetadata(input: {
  tenantId: string;
  correlationId?: string | undefined;
  causationId?: string | undefined;
  traceparent?: string | undefined;
}): EventMetadata {
  return {
    tenantId: input.tenantId,
    producer: 'pipeline',
    ...(input.correlationId === undefined ? {} : { correlationId: input.correlationId }),
    ...(input.causationId === undefined ? {} : { causationId: input.causationId }),
    ...(input.traceparent === undefined ? {} : { traceparent: input.traceparent }),
  };
}
