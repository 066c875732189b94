import { setTimeout as delay } from 'node:timers/promises';
import type { CloudEvent } from '@l2o/contracts';
import type { FeedCursor, FeedSubscription, RecordedEvent } from '@l2o/event-store';

export type OutgoingMessage = { topic: string; key: string; event: CloudEvent };

export type RelayProgress = { cursor: FeedCursor; published: number; lastBatch: number };

/** The event store's feed subscription (`EventStore.subscribeToFeed`). */
export type SubscribeToFeed = (options: {
  from: FeedCursor;
  maxBatch: number;
  onEvents: (events: RecordedEvent[]) => Promise<void>;
}) => FeedSubscription;

/**
 * Publishes the event store's feed to Kafka through the store's feed subscription, page by page, in
 * commit order. The cursor is saved only after the broker acknowledged the whole page, so a crash repeats
 * events (same `ce_id`) and never skips one. An operator's rewind (scripts/relay-republish) stops the
 * subscription after its current page, saves the new cursor and subscribes again from there.
 * Rejects when a read or a publish fails: the relay is crash-only.
 */
export async function runRelay(options: {
  subscribe: SubscribeToFeed;
  loadCursor: () => Promise<FeedCursor>;
  saveCursor: (cursor: FeedCursor) => Promise<void>;
  /** A cursor an operator asked the relay to go back to, taken once. */
  takeRewind?: () => Promise<FeedCursor | undefined>;
  publish: (topic: string, messages: Array<{ key: string; event: CloudEvent }>) => Promise<void>;
  toMessage: (event: RecordedEvent) => OutgoingMessage;
  batchSize: number;
  /** How often a pending rewind is looked for (default 1 000 ms). */
  rewindCheckMs?: number;
  signal: AbortSignal;
  onProgress?: (progress: RelayProgress) => void;
}): Promise<void> {
  let published = 0;
  while (!options.signal.aborted) {
    const subscription = options.subscribe({
      from: await options.loadCursor(),
      maxBatch: options.batchSize,
      onEvents: async (events) => {
        await publishInOrder(events.map(options.toMessage), options.publish);
        const cursor = events.at(-1)?.cursor;
        if (cursor === undefined) return;
        await options.saveCursor(cursor);
        published += events.length;
        options.onProgress?.({ cursor, published, lastBatch: events.length });
      },
    });
    let rewind: FeedCursor | undefined;
    try {
      rewind = await untilRewind({ ...options, subscription });
    } finally {
      await subscription.stop();
    }
    // Saved only once the subscription stopped, so its last page cannot overwrite it.
    if (rewind !== undefined) await options.saveCursor(rewind);
  }
}

/** Resolves with a requested rewind, or undefined once `signal` aborts; rejects when the subscription fails. */
async function untilRewind(options: {
  subscription: FeedSubscription;
  takeRewind?: () => Promise<FeedCursor | undefined>;
  rewindCheckMs?: number;
  signal: AbortSignal;
}): Promise<FeedCursor | undefined> {
  const ended = options.subscription.done.then(() => 'ended' as const);
  while (!options.signal.aborted) {
    const waited = await Promise.race([
      ended,
      delay(options.rewindCheckMs ?? 1_000, 'tick' as const, { signal: options.signal }).catch(
        () => 'aborted' as const,
      ),
    ]);
    if (waited === 'ended') throw new Error('the feed subscription ended without being stopped');
    if (waited === 'aborted') return undefined;
    const rewind = await options.takeRewind?.();
    if (rewind !== undefined) return rewind;
  }
  return undefined;
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
