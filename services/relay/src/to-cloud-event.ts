import { cloudEventTypeOf, topicForStream, withNamespace, type CloudEvent } from '@l2o/contracts';
import type { RecordedEvent } from '@l2o/event-store';
import type { OutgoingMessage } from './relay.ts';

/**
 * Maps a stored event to its CloudEvent on the aggregate's topic. The stored event id becomes
 * `ce_id`, so a message the relay repeats after a crash is recognisable as the same event.
 */
export function toOutgoingMessage(event: RecordedEvent, options: { topicNamespace: string }): OutgoingMessage {
  const aggregateId = event.streamId.slice(event.streamId.indexOf('-') + 1);
  const metadata = event.metadata;
  const cloudEvent: CloudEvent = {
    specversion: '1.0',
    id: event.id,
    type: cloudEventTypeOf(event.type, event.schemaVersion),
    source: `/l2o/${metadata.producer ?? 'unknown'}`,
    subject: aggregateId,
    time: event.recordedAt.toISOString(),
    datacontenttype: 'application/json',
    tenantid: metadata.tenantId,
    streamversion: event.streamVersion,
    ...(metadata.correlationId ? { correlationid: metadata.correlationId } : {}),
    ...(metadata.causationId ? { causationid: metadata.causationId } : {}),
    ...(metadata.traceparent ? { traceparent: metadata.traceparent } : {}),
    data: event.data,
  };
  return {
    topic: withNamespace(topicForStream(event.streamId), options.topicNamespace),
    key: aggregateId,
    event: cloudEvent,
  };
}
