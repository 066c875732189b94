import { setTimeout as delay } from 'node:timers/promises';
import type { CloudEvent } from '@l2o/contracts';
import type { FeedCursor, FeedPage, RecordedEvent } from '@l2o/event-store';

export type OutgoingMessage = { topic: string; key: string; event: CloudEvent };

export type RelayProgress = { cursor: FeedCursor; published: number; lastBatch: number };

/**
 * Publishes the event store's feed to Kafka, page by page, in commit order. The cursor is saved
 * only after the broker acknowledged the whole page, so a crash repeats events (same `ce_id`)
 * and never skips one.
 */
export async function runRelay(options: {
  readFeed: (from: FeedCursor, options: { maxCount: number }) => Promise<FeedPage>;
  loadCursor: () => Promise<FeedCursor>;
  saveCursor: (cursor: FeedCursor) => Promise<void>;
  /** A cursor an operator asked the relay to go back to (scripts/relay-republish), taken once. */
  takeRewind?: () => Promise<FeedCursor | undefined>;
  publish: (topic: string, messages: Array<{ key: string; event: CloudEvent }>) => Promise<void>;
  toMessage: (event: RecordedEvent) => OutgoingMessage;
  batchSize: number;
  idlePollMs: number;
  signal: AbortSignal;
  onProgress?: (progress: RelayProgress) => void;
}): Promise<void> {
  let cursor = await options.loadCursor();
  let published = 0;
  while (!options.signal.aborted) {
    const rewind = await options.takeRewind?.();
    if (rewind !== undefined) {
      // Saved at once, so a crash right after still re-publishes from there.
      await options.saveCursor(rewind);
      cursor = rewind;
    }
    const page = await options.readFeed(cursor, { maxCount: options.batchSize });
    if (page.events.length > 0) {
      await publishInOrder(page.events.map(options.toMessage), options.publish);
      await options.saveCursor(page.cursor);
      published += page.events.length;
      options.onProgress?.({ cursor: page.cursor, published, lastBatch: page.events.length });
    }
    cursor = page.cursor;
    if (page.events.length < options.batchSize) {
      await delay(options.idlePollMs, undefined, { signal: options.signal }).catch(() => undefined);
    }
  }
}

// Order matters per key, and each key lives on one topic, so topics can be sent side by side.
async function publishInOrder(
  messages: OutgoingMessage[],
  publish: (topic: string, messages: Array<{ key: string; event: CloudEvent }>) => Promise<void>,
): Promise<void> {
  const byTopic = new Map<string, Array<{ key: string; event: CloudEvent }>>();
  for (const message of messages) {
    const list = byTopic.get(message.topic) ?? [];
    list.push({ key: message.key, event: message.event });
    byTopic.set(message.topic, list);
  }
  await Promise.all([...byTopic].map(([topic, list]) => publish(topic, list)));
}
