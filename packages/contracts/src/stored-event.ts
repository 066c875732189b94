import { cloudEventTypeOf } from './catalogue.ts';
import type { CloudEvent } from './envelope.ts';

/** The fields of a stored event that its CloudEvent carries; `RecordedEvent` of `@l2o/event-store` has them. */
export type StoredEventFields = {
  id: string;
  /** `<aggregate>-<id>`. */
  streamId: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  recordedAt: Date;
  metadata: {
    tenantId: string;
    producer?: string;
    correlationId?: string;
    causationId?: string;
    traceparent?: string;
  };
};

/**
 * The CloudEvent a stored event is published as. The stored id becomes `ce_id`, so a message repeated
 * after a crash is recognisable as the same event; the stream's aggregate id is the subject.
 * @throws UnknownEventError for a type and version outside the catalogue.
 */
export function toCloudEvent(event: StoredEventFields): CloudEvent {
  const { metadata } = event;
  return {
    specversion: '1.0',
    id: event.id,
    type: cloudEventTypeOf(event.type, event.schemaVersion),
    source: `/l2o/${metadata.producer ?? 'unknown'}`,
    subject: event.streamId.slice(event.streamId.indexOf('-') + 1),
    time: event.recordedAt.toISOString(),
    datacontenttype: 'application/json',
    tenantid: metadata.tenantId,
    streamversion: event.streamVersion,
    ...(metadata.correlationId ? { correlationid: metadata.correlationId } : {}),
    ...(metadata.causationId ? { causationid: metadata.causationId } : {}),
    ...(metadata.traceparent ? { traceparent: metadata.traceparent } : {}),
    data: event.data,
  };
}
