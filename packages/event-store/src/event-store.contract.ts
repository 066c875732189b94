import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { waitFor } from '@l2o/testing';
import { ConcurrencyError, DuplicateEventIdError, START } from './event-store.port.ts';
import type { EventStore, ExpectedVersion, FeedCursor, NewEvent, RecordedEvent } from './event-store.port.ts';

/** Opens the store under test; `teardown` closes it and removes what it stored where it can. */
export type EventStoreContractSetup = () => Promise<{
  store: EventStore;
  teardown: () => Promise<void>;
  /**
   * Re-stamps every stored event's feed position, keeping the order, so the positions cross the values
   * where a wrong sort shows (PostgreSQL: transaction ids on both sides of 1,000, 10,000 and 100,000).
   * When given, the long-feed test reads from `START` after calling it.
   */
  spreadFeedPositions?: () => Promise<void>;
}>;

/**
 * The behaviour every `EventStore` adapter must show. Tests use fresh stream ids and read the feed
 * from the head cursor, so they also hold on a server that other tests write to.
 * `skip` reports the whole suite as skipped (for an adapter whose server is not available).
 */
export function describeEventStoreContract(
  name: string,
  setup: EventStoreContractSetup,
  options: { skip?: boolean } = {},
): void {
  (options.skip ? describe.skip : describe)(`${name} (event store contract)`, () => {
    let store: EventStore;
    let teardown: (() => Promise<void>) | undefined;
    let spreadFeedPositions: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      ({ store, teardown, spreadFeedPositions } = await setup());
    });
    afterAll(async () => {
      await teardown?.();
    });

    describe('appending and reading a stream', () => {
      it('reads back the appended events in order, numbered from version 1', async () => {
        const stream = streamId();
        const events = [event('LeadCaptured', { email: 'a@example.com' }), event('LeadScored', { score: 42 }, 2)];

        const result = await store.appendToStream(stream, events, { expectedVersion: 'no_stream' });
        const read = await store.readStream(stream);

        expect(result).toEqual({ nextExpectedVersion: 2, appended: 2 });
        expect(
          read.map(({ id, streamId, streamVersion, type, schemaVersion, data, metadata }) => ({
            id,
            streamId,
            streamVersion,
            type,
            schemaVersion,
            data,
            metadata,
          })),
        ).toEqual([
          {
            id: events[0]?.id,
            streamId: stream,
            streamVersion: 1,
            type: 'LeadCaptured',
            schemaVersion: 1,
            data: { email: 'a@example.com' },
            metadata: events[0]?.metadata,
          },
          {
            id: events[1]?.id,
            streamId: stream,
            streamVersion: 2,
            type: 'LeadScored',
            schemaVersion: 2,
            data: { score: 42 },
            metadata: events[1]?.metadata,
          },
        ]);
        expect(read.every((e) => e.recordedAt instanceof Date && typeof e.cursor === 'string')).toBe(true);
      });

      it('numbers a later append after the events already in the stream', async () => {
        const stream = streamId();
        await store.appendToStream(stream, [event(), event()], { expectedVersion: 'no_stream' });

        const result = await store.appendToStream(stream, [event(), event(), event()], { expectedVersion: 2 });

        expect(result).toEqual({ nextExpectedVersion: 5, appended: 3 });
        expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
      });

      it('reads from a version, at most maxCount events', async () => {
        const stream = streamId();
        await store.appendToStream(stream, [event(), event(), event(), event(), event()], {
          expectedVersion: 'no_stream',
        });

        const read = await store.readStream(stream, { fromVersion: 2, maxCount: 2 });

        expect(read.map((e) => e.streamVersion)).toEqual([2, 3]);
      });

      it('reads several streams in one call, each from its version, a missing one as empty', async () => {
        const [a, b, missing] = [streamId(), streamId(), streamId()];
        await store.appendToStream(a, [event(), event(), event()], { expectedVersion: 'no_stream' });
        await store.appendToStream(b, [event()], { expectedVersion: 'no_stream' });

        const read = await store.readStreams([{ streamId: a, fromVersion: 2 }, { streamId: b }, { streamId: missing }]);

        expect([...read.keys()].sort()).toEqual([a, b, missing].sort());
        expect(read.get(a)?.map((e) => e.streamVersion)).toEqual([2, 3]);
        expect(read.get(b)?.map((e) => [e.streamId, e.streamVersion])).toEqual([[b, 1]]);
        expect(read.get(missing)).toEqual([]);
      });

      it('reads a stream that does not exist as empty', async () => {
        expect(await store.readStream(streamId())).toEqual([]);
      });
    });

    describe('expected versions', () => {
      it('no_stream creates the stream, and conflicts once it exists', async () => {
        const stream = streamId();
        await store.appendToStream(stream, [event()], { expectedVersion: 'no_stream' });

        const second = store.appendToStream(stream, [event()], { expectedVersion: 'no_stream' });

        await expect(second).rejects.toMatchObject({
          name: 'ConcurrencyError',
          streamId: stream,
          expected: 'no_stream',
          actual: 1,
        });
        await expect(second).rejects.toBeInstanceOf(ConcurrencyError);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('an exact version appends when it is the current version', async () => {
        const stream = streamId();
        await store.appendToStream(stream, [event()], { expectedVersion: 'no_stream' });

        expect(await store.appendToStream(stream, [event()], { expectedVersion: 1 })).toEqual({
          nextExpectedVersion: 2,
          appended: 1,
        });
      });

      it('an exact version conflicts when the stream moved on, is behind it, or does not exist', async () => {
        const stream = streamId();
        await store.appendToStream(stream, [event(), event()], { expectedVersion: 'no_stream' });

        await expect(store.appendToStream(stream, [event()], { expectedVersion: 1 })).rejects.toMatchObject({
          name: 'ConcurrencyError',
          expected: 1,
          actual: 2,
        });
        await expect(store.appendToStream(stream, [event()], { expectedVersion: 3 })).rejects.toMatchObject({
          name: 'ConcurrencyError',
          expected: 3,
          actual: 2,
        });
        await expect(store.appendToStream(streamId(), [event()], { expectedVersion: 1 })).rejects.toMatchObject({
          name: 'ConcurrencyError',
          actual: 'no_stream',
        });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('stream_exists appends to an existing stream and conflicts on a missing one', async () => {
        const stream = streamId();
        await store.appendToStream(stream, [event()], { expectedVersion: 'no_stream' });

        expect(await store.appendToStream(stream, [event()], { expectedVersion: 'stream_exists' })).toEqual({
          nextExpectedVersion: 2,
          appended: 1,
        });
        const missing = streamId();
        await expect(
          store.appendToStream(missing, [event()], { expectedVersion: 'stream_exists' }),
        ).rejects.toMatchObject({ name: 'ConcurrencyError', actual: 'no_stream' });
        expect(await store.readStream(missing)).toEqual([]);
      });

      it('any appends whether or not the stream exists', async () => {
        const stream = streamId();

        expect(await store.appendToStream(stream, [event()], { expectedVersion: 'any' })).toEqual({
          nextExpectedVersion: 1,
          appended: 1,
        });
        expect(await store.appendToStream(stream, [event(), event()], { expectedVersion: 'any' })).toEqual({
          nextExpectedVersion: 3,
          appended: 2,
        });
      });
    });

    describe('idempotent retries', () => {
      it('a retried append of the same events stores them once', async () => {
        const stream = streamId();
        const events = [event(), event()];
        await store.appendToStream(stream, events, { expectedVersion: 'no_stream' });

        const retry = await store.appendToStream(stream, events, { expectedVersion: 'no_stream' });

        expect(retry).toEqual({ nextExpectedVersion: 2, appended: 0 });
        expect((await store.readStream(stream)).map((e) => e.id)).toEqual(events.map((e) => e.id));
      });

      it('a retry that arrives after other events were appended stores nothing and reports the current version', async () => {
        const stream = streamId();
        const first = [event()];
        await store.appendToStream(stream, first, { expectedVersion: 'no_stream' });
        await store.appendToStream(stream, [event(), event()], { expectedVersion: 1 });

        const retry = await store.appendToStream(stream, first, { expectedVersion: 'no_stream' });

        expect(retry).toEqual({ nextExpectedVersion: 3, appended: 0 });
        expect((await store.readStream(stream)).filter((e) => e.id === first[0]?.id)).toHaveLength(1);
      });

      it('a retry with expected version any stores the events once', async () => {
        const stream = streamId();
        const events = [event()];
        await store.appendToStream(stream, events, { expectedVersion: 'any' });
        await store.appendToStream(stream, [event()], { expectedVersion: 'any' });

        expect(await store.appendToStream(stream, events, { expectedVersion: 'any' })).toEqual({
          nextExpectedVersion: 2,
          appended: 0,
        });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('two concurrent sends of one append store it once, and neither fails', async () => {
        const stream = streamId();
        const events = [event(), event()];

        const outcomes = await Promise.allSettled([
          store.appendToStream(stream, events, { expectedVersion: 'no_stream' }),
          store.appendToStream(stream, events, { expectedVersion: 'no_stream' }),
        ]);

        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
        expect((await store.readStream(stream)).map((e) => e.id)).toEqual(events.map((e) => e.id));
      });

      it('an append that repeats only some stored ids is refused and writes nothing', async () => {
        const stream = streamId();
        const stored = event();
        await store.appendToStream(stream, [stored], { expectedVersion: 'no_stream' });

        const mixed = store.appendToStream(stream, [stored, event()], { expectedVersion: 'any' });

        await expect(mixed).rejects.toBeInstanceOf(DuplicateEventIdError);
        await expect(mixed).rejects.toMatchObject({ streamId: stream, duplicateIds: [stored.id] });
        expect(await store.readStream(stream)).toHaveLength(1);
      });
    });

    describe('appending to several streams', () => {
      it('appends to each stream and returns the results in the order given', async () => {
        const [a, b] = [streamId(), streamId()];
        await store.appendToStream(b, [event()], { expectedVersion: 'no_stream' });

        const results = await store.appendToStreams([
          { streamId: b, events: [event(), event()], expectedVersion: 1 },
          { streamId: a, events: [event()], expectedVersion: 'no_stream' },
        ]);

        expect(results).toEqual([
          { nextExpectedVersion: 3, appended: 2 },
          { nextExpectedVersion: 1, appended: 1 },
        ]);
        expect(await store.readStream(a)).toHaveLength(1);
        expect(await store.readStream(b)).toHaveLength(3);
      });

      it('appends to 300 streams in one call, and a retry of the whole set stores nothing more', async () => {
        const appends = Array.from({ length: 300 }, (_, index) => ({
          streamId: streamId(),
          events: Array.from({ length: 1 + (index % 3) }, () => event()),
          expectedVersion: 'no_stream' as const,
        }));

        const first = await store.appendToStreams(appends);
        const retry = await store.appendToStreams(appends);
        const read = await store.readStreams(appends.map((append) => ({ streamId: append.streamId })));

        expect(first.map((result) => result.appended)).toEqual(appends.map((append) => append.events.length));
        expect(retry.map((result) => result.appended)).toEqual(appends.map(() => 0));
        expect(retry.map((result) => result.nextExpectedVersion)).toEqual(appends.map((a) => a.events.length));
        for (const append of appends) {
          expect(read.get(append.streamId)?.map((e) => e.id)).toEqual(append.events.map((e) => e.id));
        }
      });

      it('writes nothing to any stream when one of them conflicts', async (context) => {
        context.skip(!store.capabilities.atomicMultiStreamAppend, 'this adapter appends stream by stream');
        const [fresh, existing, other] = [streamId(), streamId(), streamId()];
        await store.appendToStream(existing, [event()], { expectedVersion: 'no_stream' });

        const appending = store.appendToStreams([
          { streamId: fresh, events: [event()], expectedVersion: 'no_stream' },
          { streamId: existing, events: [event()], expectedVersion: 'no_stream' },
          { streamId: other, events: [event()], expectedVersion: 'any' },
        ]);

        await expect(appending).rejects.toMatchObject({ name: 'ConcurrencyError', streamId: existing });
        expect(await store.readStream(fresh)).toEqual([]);
        expect(await store.readStream(existing)).toHaveLength(1);
        expect(await store.readStream(other)).toEqual([]);
      });
    });

    describe('the feed', () => {
      it('returns events after a cursor in append order, page by page, resuming from each page cursor', async () => {
        const head = await store.headCursor();
        const [a, b] = [streamId(), streamId()];
        const appended = [event(), event(), event(), event(), event()];
        await store.appendToStream(a, appended.slice(0, 2), { expectedVersion: 'no_stream' });
        await store.appendToStream(b, appended.slice(2, 3), { expectedVersion: 'no_stream' });
        await store.appendToStream(a, appended.slice(3), { expectedVersion: 2 });
        await feedShows(store, head, appended[4]?.id);

        const pages: RecordedEvent[][] = [];
        let cursor = head;
        for (;;) {
          const page = await store.readFeed(cursor, { maxCount: 2 });
          if (page.events.length === 0) break;
          expect(page.events.length).toBeLessThanOrEqual(2);
          expect(page.cursor).toBe(page.events.at(-1)?.cursor);
          pages.push(page.events);
          cursor = page.cursor;
        }

        const mine = pages.flat().filter((e) => e.streamId === a || e.streamId === b);
        expect(mine.map((e) => e.id)).toEqual(appended.map((e) => e.id));
        expect(mine.map((e) => `${e.streamId === a ? 'a' : 'b'}${e.streamVersion}`)).toEqual([
          'a1',
          'a2',
          'b1',
          'a3',
          'a4',
        ]);
      });

      it('returns every event once and in order, read in pages of 1, 2 and 500 and by a subscription', async () => {
        const head = await store.headCursor();
        const streams = [streamId(), streamId(), streamId()];
        const appended: NewEvent[] = [];
        for (let round = 0; round < 30; round += 1) {
          const events = Array.from({ length: 1 + (round % 3) }, () => event());
          await store.appendToStream(streams[round % 3] ?? '', events, { expectedVersion: 'any' });
          appended.push(...events);
        }
        await feedShows(store, head, appended.at(-1)?.id);
        await spreadFeedPositions?.();
        const from = spreadFeedPositions ? START : head;
        const mine = (events: RecordedEvent[]) => events.filter((e) => streams.includes(e.streamId)).map((e) => e.id);
        const expected = appended.map((e) => e.id);

        for (const pageSize of [1, 2, 500]) {
          const read: RecordedEvent[] = [];
          let cursor = from;
          for (;;) {
            const page = await store.readFeed(cursor, { maxCount: pageSize });
            if (page.events.length === 0) break;
            expect(page.events.length).toBeLessThanOrEqual(pageSize);
            read.push(...page.events);
            cursor = page.cursor;
          }
          expect(mine(read), `pages of ${pageSize}`).toEqual(expected);
          expect(new Set(read.map((e) => e.id)).size, `pages of ${pageSize}: no event twice`).toBe(read.length);
          // On a store of its own the test knows the head; a shared server's may have moved on.
          if (spreadFeedPositions) expect(await store.headCursor()).toBe(cursor);
        }

        const delivered: RecordedEvent[] = [];
        const subscription = store.subscribeToFeed({
          from,
          maxBatch: 7,
          onEvents: async (events) => {
            delivered.push(...events);
          },
        });
        onTestFinished(() => subscription.stop());
        await waitFor('the subscription to deliver every event', () => mine(delivered).length >= expected.length, {
          timeoutMs: 10_000,
        });
        await subscription.stop();
        expect(mine(delivered)).toEqual(expected);
        expect(new Set(delivered.map((e) => e.id)).size).toBe(delivered.length);
      });

      it('returns an empty page and the same cursor when nothing follows', async () => {
        const stream = streamId();
        const before = await store.headCursor();
        const appended = event();
        await store.appendToStream(stream, [appended], { expectedVersion: 'no_stream' });
        await feedShows(store, before, appended.id);
        const head = await store.headCursor();

        expect(await store.readFeed(head)).toEqual({ events: [], cursor: head });
        expect(head).toBe((await store.readStream(stream))[0]?.cursor);
      });

      it('a subscription delivers events appended after it started, page by page, until stopped', async () => {
        const stream = streamId();
        const received: RecordedEvent[] = [];
        const pageSizes: number[] = [];
        const subscription = store.subscribeToFeed({
          from: await store.headCursor(),
          maxBatch: 3,
          onEvents: async (events) => {
            pageSizes.push(events.length);
            received.push(...events.filter((e) => e.streamId === stream));
          },
        });
        onTestFinished(() => subscription.stop());
        const appended = [event(), event(), event(), event(), event(), event(), event()];

        await store.appendToStream(stream, appended.slice(0, 4), { expectedVersion: 'no_stream' });
        await store.appendToStream(stream, appended.slice(4), { expectedVersion: 4 });
        await waitFor('the subscription to deliver 7 events', () => received.length >= appended.length, {
          timeoutMs: 10_000,
        });
        await subscription.stop();

        await expect(subscription.done).resolves.toBeUndefined();
        expect(received.map((e) => e.id)).toEqual(appended.map((e) => e.id));
        expect(Math.max(...pageSizes)).toBeLessThanOrEqual(3);
      });

      it('a subscription whose handler throws ends, and done rejects with the error', async () => {
        const failure = new Error('handler failed');
        const subscription = store.subscribeToFeed({
          from: await store.headCursor(),
          onEvents: async () => {
            throw failure;
          },
        });
        onTestFinished(() => subscription.stop());

        await store.appendToStream(streamId(), [event()], { expectedVersion: 'no_stream' });

        await expect(subscription.done).rejects.toBe(failure);
        await subscription.stop();
      });
    });

    describe('under concurrency', () => {
      it('of two concurrent no_stream appends to one stream exactly one succeeds', async () => {
        const streams = Array.from({ length: 10 }, () => streamId());

        const outcomes = await Promise.all(
          streams.map((stream) =>
            Promise.allSettled([
              store.appendToStream(stream, [event()], { expectedVersion: 'no_stream' }),
              store.appendToStream(stream, [event()], { expectedVersion: 'no_stream' }),
            ]),
          ),
        );

        for (const [index, pair] of outcomes.entries()) {
          expect(pair.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
          const rejected = pair.find((o) => o.status === 'rejected');
          expect(rejected?.reason).toBeInstanceOf(ConcurrencyError);
          expect(await store.readStream(streams[index] ?? '')).toHaveLength(1);
        }
      });

      it('a feed reader sees every event of 8 interleaving writers exactly once, each stream in version order', async () => {
        const writers = 8;
        const eventsPerWriter = 1000;
        const prefix = `load-${randomUUID()}`;
        const streams = Array.from({ length: 100 }, (_, i) => `${prefix}-${i}`);
        const received = new Map<string, RecordedEvent[]>();
        let receivedCount = 0;
        const subscription = store.subscribeToFeed({
          from: await store.headCursor(),
          maxBatch: 200,
          onEvents: async (events) => {
            for (const e of events) {
              if (!e.streamId.startsWith(prefix)) continue;
              received.set(e.streamId, [...(received.get(e.streamId) ?? []), e]);
              receivedCount += 1;
            }
          },
        });
        onTestFinished(() => subscription.stop());

        const outcomes = await Promise.all(
          Array.from({ length: writers }, (_, w) =>
            writeRandomly({ store, streams, events: eventsPerWriter, seed: w + 1 }),
          ),
        );
        // On a timeout the assertions below report what is missing or duplicated.
        await waitFor('the feed reader to receive 8000 events', () => receivedCount >= writers * eventsPerWriter, {
          timeoutMs: 20_000,
        }).catch(() => undefined);
        await subscription.stop();

        const all = [...received.values()].flat();
        expect(all).toHaveLength(writers * eventsPerWriter);
        expect(new Set(all.map((e) => e.id)).size).toBe(writers * eventsPerWriter);
        expect(new Set(all.map((e) => e.id))).toEqual(new Set(outcomes.flatMap((o) => o.ids)));
        for (const events of received.values()) {
          expect(events.map((e) => e.streamVersion)).toEqual(events.map((_, i) => i + 1));
        }
        // Proof that the writers really raced for the same streams.
        expect(outcomes.reduce((sum, o) => sum + o.conflicts, 0)).toBeGreaterThan(0);
      });
    });
  });
}

/** A fresh stream id, so tests never share a stream even on a shared server. */
function streamId(): string {
  return `lead-${randomUUID()}`;
}

function event(
  type = 'LeadCaptured',
  data: Record<string, unknown> = { source: 'contract' },
  schemaVersion?: number,
): NewEvent {
  return {
    id: randomUUID(),
    type,
    ...(schemaVersion === undefined ? {} : { schemaVersion }),
    data,
    metadata: { tenantId: 'tenant-1', correlationId: randomUUID(), producer: 'contract-test' },
  };
}

/**
 * One writer: appends `events` events in batches of 1 to 8 to streams picked at random, with the exact
 * version it last saw, reloading it from the conflict on a ConcurrencyError.
 */
async function writeRandomly(options: { store: EventStore; streams: string[]; events: number; seed: number }) {
  const random = seededRandom(options.seed);
  const known = new Map<string, number>();
  const ids: string[] = [];
  let conflicts = 0;
  while (ids.length < options.events) {
    const stream = options.streams[Math.floor(random() * options.streams.length)] ?? '';
    const batch = Array.from({ length: Math.min(1 + Math.floor(random() * 8), options.events - ids.length) }, () =>
      event(),
    );
    let expected: ExpectedVersion = known.get(stream) ?? 'no_stream';
    for (;;) {
      try {
        const result = await options.store.appendToStream(stream, batch, { expectedVersion: expected });
        known.set(stream, result.nextExpectedVersion);
        break;
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        conflicts += 1;
        expected = error.actual;
      }
    }
    ids.push(...batch.map((e) => e.id));
  }
  return { ids, conflicts };
}

/** mulberry32: each writer makes the same choices on every run; only the timing varies. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Waits until the feed after `from` shows the event `id`. A PostgreSQL feed holds back what a writing
 * transaction still open anywhere in the cluster might precede, so a fresh append may not be readable at once.
 */
async function feedShows(store: EventStore, from: FeedCursor, id: string | undefined): Promise<void> {
  await waitFor(`event ${id} in the feed`, async () =>
    (await store.readFeed(from, { maxCount: 1000 })).events.some((e) => e.id === id),
  );
}
