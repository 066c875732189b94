import { describe, expect, it } from 'vitest';
import type { FeedCursor, FeedPage, RecordedEvent } from './event-store.port.ts';
import { pollFeed } from './feed-poller.ts';

/** An in-memory feed of `count` events whose cursors are their 1-based positions. */
function feedOf(count: number) {
  const events = Array.from({ length: count }, (_, i): RecordedEvent => ({
    id: `e${i + 1}`,
    streamId: 'lead-1',
    streamVersion: i + 1,
    type: 'LeadCaptured',
    schemaVersion: 1,
    data: {},
    metadata: { tenantId: 'tenant-1' },
    recordedAt: new Date(0),
    cursor: String(i + 1),
  }));
  const reads: FeedCursor[] = [];
  const readFeed = async (from: FeedCursor, options: { maxCount: number }): Promise<FeedPage> => {
    reads.push(from);
    const after = from === 'start' ? 0 : Number(from);
    const page = events.slice(after, after + options.maxCount);
    return { events: page, cursor: page.at(-1)?.cursor ?? from };
  };
  return { events, reads, readFeed };
}

describe('pollFeed', () => {
  it('hands over every event once, in order, in pages of at most maxBatch, resuming after each page', async () => {
    const feed = feedOf(7);
    const pages: string[][] = [];
    const subscription = pollFeed({
      readFeed: feed.readFeed,
      from: 'start',
      maxBatch: 3,
      idleMs: 60_000,
      onEvents: async (events) => {
        pages.push(events.map((e) => e.id));
      },
    });

    // Full pages are read back to back; the short last page starts a 60 s pause that stop() cuts short.
    while (pages.length < 3) await new Promise((resolve) => setImmediate(resolve));
    await subscription.stop();

    expect(pages).toEqual([['e1', 'e2', 'e3'], ['e4', 'e5', 'e6'], ['e7']]);
    expect(feed.reads).toEqual(['start', '3', '6']);
    await expect(subscription.done).resolves.toBeUndefined();
  });

  it('rejects done with the handler error and reads no further', async () => {
    const feed = feedOf(10);
    const failure = new Error('broker down');
    const subscription = pollFeed({
      readFeed: feed.readFeed,
      from: 'start',
      maxBatch: 2,
      idleMs: 10,
      onEvents: async () => {
        throw failure;
      },
    });

    await expect(subscription.done).rejects.toBe(failure);
    expect(feed.reads).toEqual(['start']);
    await expect(subscription.stop()).resolves.toBeUndefined();
  });

  it('refuses a batch size that is not a positive integer', () => {
    const feed = feedOf(0);
    expect(() =>
      pollFeed({ readFeed: feed.readFeed, from: 'start', maxBatch: 0, idleMs: 10, onEvents: async () => undefined }),
    ).toThrow(RangeError);
  });
});
