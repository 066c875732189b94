import type { EventMetadata } from './event-store.port.ts';

/** What {@link eventMetadata} builds from: the ids that trace an event to its cause may be unknown. */
export type EventMetadataOptions = {
  tenantId: string;
  /** The service that appends the event. */
  producer: string;
  correlationId?: string | undefined;
  causationId?: string | undefined;
  traceparent?: string | undefined;
};

/** The metadata of events a service appends; an unknown id is left out, not stored as empty. */
export function eventMetadata(options: EventMetadataOptions): EventMetadata {
  return {
    tenantId: options.tenantId,
    producer: options.producer,
    ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
    ...(options.causationId === undefined ? {} : { causationId: options.causationId }),
    ...(options.traceparent === undefined ? {} : { traceparent: options.traceparent }),
  };
}
