import type { FeedCursor, FeedPage, FeedSubscription, RecordedEvent } from './event-store.port.ts';

export type PollFeedOptions = {
  readFeed: (from: FeedCursor, options: { maxCount: number }) => Promise<FeedPage>;
  from: FeedCursor;
  onEvents: (events: RecordedEvent[]) => Promise<void>;
  maxBatch: number;
  /** Pause after a page that was not full; a full page is followed at once by the next read. */
  idleMs: number;
};

/**
 * Tails a feed by reading page after page. A page is handed to `onEvents` only after the previous
 * call resolved, so the handler sees the feed in order and one page at a time. A read or handler
 * error ends the subscription and rejects `done`; the caller restarts from its saved cursor.
 * Do not await `stop()` inside `onEvents`: `stop()` waits for the handler to return.
 */
export function pollFeed(options: PollFeedOptions): FeedSubscription {
  if (!(Number.isSafeInteger(options.maxBatch) && options.maxBatch > 0)) {
    throw new RangeError(`maxBatch must be a positive integer, got ${options.maxBatch}`);
  }
  let stopping = false;
  let wake: (() => void) | undefined;

  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = undefined;
        resolve();
      }, options.idleMs);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    });

  const done = (async () => {
    let cursor = options.from;
    while (!stopping) {
      const page = await options.readFeed(cursor, { maxCount: options.maxBatch });
      if (stopping) return;
      if (page.events.length > 0) await options.onEvents(page.events);
      // A page may be empty yet move the cursor (KurrentDB skips system events), so always take it.
      cursor = page.cursor;
      if (page.events.length < options.maxBatch && !stopping) await pause();
    }
  })();

  return {
    done,
    stop: async () => {
      stopping = true;
      wake?.();
      await done.catch(() => undefined);
    },
  };
}
