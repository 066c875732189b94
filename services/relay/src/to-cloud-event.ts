import { toCloudEvent, topicForStream, withNamespace } from '@l2o/contracts';
import type { RecordedEvent } from '@l2o/event-store';
import type { OutgoingMessage } from './relay.ts';

/** Maps a stored event to its CloudEvent (see `toCloudEvent`) on the aggregate's topic, keyed by the aggregate id. */
export function toOutgoingMessage(event: RecordedEvent, options: { topicNamespace: string }): OutgoingMessage {
  const cloudEvent = toCloudEvent(event);
  return {
    topic: withNamespace(topicForStream(event.streamId), options.topicNamespace),
    key: cloudEvent.subject,
    event: cloudEvent,
  };
}
