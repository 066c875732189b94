import { describe, expect, it } from 'vitest';
import { pollFeed } from '@l2o/event-store';
import type { FeedCursor, FeedPage, RecordedEvent } from '@l2o/event-store';
import type { CloudEvent } from '@l2o/contracts';
import { runRelay, type OutgoingMessage } from './relay.ts';

function recorded(position: number, streamId: string): RecordedEvent {
  return {
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    streamId,
    streamVersion: position,
    type: 'LeadCaptured',
    schemaVersion: 1,
    data: {},
    metadata: { tenantId: 't1' },
    recordedAt: new Date(0),
    cursor: `1:${position}`,
  };
}

function feedOf(events: RecordedEvent[]) {
  return async (from: FeedCursor, options: { maxCount: number }): Promise<FeedPage> => {
    const start = from === 'start' ? 0 : events.findIndex((event) => event.cursor === from) + 1;
    const page = events.slice(start, start + options.maxCount);
    return { events: page, cursor: page.at(-1)?.cursor ?? from };
  };
}

/** The store's subscription over an in-memory feed, as `store.subscribeToFeed` would give it. */
function subscriptionOf(events: RecordedEvent[]) {
  const readFeed = feedOf(events);
  return (options: { from: FeedCursor; maxBatch: number; onEvents: (events: RecordedEvent[]) => Promise<void> }) =>
    pollFeed({ readFeed, idleMs: 5, ...options });
}

const toMessage = (event: RecordedEvent): OutgoingMessage => ({
  topic: event.streamId.startsWith('lead-') ? 'lead' : 'opportunity',
  key: event.streamId,
  event: { id: event.id } as CloudEvent,
});

describe('relay', () => {
  it('publishes every event in feed order per topic and saves the cursor after each acknowledged page', async () => {
    const events = [recorded(1, 'lead-a'), recorded(2, 'opportunity-b'), recorded(3, 'lead-a'), recorded(4, 'lead-c')];
    const published: Array<[string, string]> = [];
    const saved: string[] = [];
    const controller = new AbortController();
    await runRelay({
      subscribe: subscriptionOf(events),
      loadCursor: async () => 'start',
      saveCursor: async (cursor) => {
        saved.push(cursor);
        if (cursor === '1:4') controller.abort();
      },
      publish: async (topic, messages) => {
        for (const message of messages) published.push([topic, message.event.id]);
      },
      toMessage,
      batchSize: 2,
      rewindCheckMs: 5,
      signal: controller.signal,
    });
    expect(published.filter(([topic]) => topic === 'lead').map(([, id]) => id)).toEqual([
      events[0]!.id,
      events[2]!.id,
      events[3]!.id,
    ]);
    expect(published).toHaveLength(4);
    expect(saved).toEqual(['1:2', '1:4']);
  });

  it('does not save the cursor when the broker did not acknowledge, and stops with the error', async () => {
    const saved: string[] = [];
    const run = runRelay({
      subscribe: subscriptionOf([recorded(1, 'lead-a')]),
      loadCursor: async () => 'start',
      saveCursor: async (cursor) => void saved.push(cursor),
      publish: async () => {
        throw new Error('broker unavailable');
      },
      toMessage,
      batchSize: 10,
      rewindCheckMs: 5,
      signal: new AbortController().signal,
    });
    await expect(run).rejects.toThrow('broker unavailable');
    expect(saved).toEqual([]);
  });

  it('resumes after the saved cursor', async () => {
    const events = [recorded(1, 'lead-a'), recorded(2, 'lead-a'), recorded(3, 'lead-a')];
    const published: string[] = [];
    const controller = new AbortController();
    await runRelay({
      subscribe: subscriptionOf(events),
      loadCursor: async () => '1:2',
      saveCursor: async () => controller.abort(),
      publish: async (_topic, messages) => void published.push(...messages.map((message) => message.event.id)),
      toMessage,
      batchSize: 10,
      rewindCheckMs: 5,
      signal: controller.signal,
    });
    expect(published).toEqual([events[2]!.id]);
  });

  it('goes back to a cursor an operator asked for, saves it once the subscription stopped, and publishes from there again', async () => {
    const events = [recorded(1, 'lead-a'), recorded(2, 'lead-a'), recorded(3, 'lead-b')];
    const published: string[] = [];
    const saved: string[] = [];
    let rewound = false;
    const controller = new AbortController();
    await runRelay({
      subscribe: subscriptionOf(events),
      loadCursor: async () => saved.at(-1) ?? 'start',
      saveCursor: async (cursor) => {
        saved.push(cursor);
        if (rewound && cursor === '1:3') controller.abort();
      },
      takeRewind: async () => {
        if (rewound || saved.at(-1) !== '1:3') return undefined;
        rewound = true;
        return '1:1';
      },
      publish: async (_topic, messages) => {
        published.push(...messages.map((message) => message.event.id));
      },
      toMessage,
      batchSize: 2,
      rewindCheckMs: 5,
      signal: controller.signal,
    });
    expect(saved).toEqual(['1:2', '1:3', '1:1', '1:3']);
    expect(published).toEqual([events[0]!.id, events[1]!.id, events[2]!.id, events[1]!.id, events[2]!.id]);
  });
});
