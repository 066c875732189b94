import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema } from '@l2o/testing';
import { ConcurrencyError } from './event-store.port.ts';
import type { EventStore } from './event-store.port.ts';
import { handleCommand, handleCommands } from './handle-command.ts';
import type { CommandDecider } from './handle-command.ts';
import { migrateEventStore } from './migrate-event-store.ts';
import { createPostgresEventStore } from './postgres-event-store.ts';
import type { PostgresEventStore } from './postgres-event-store.ts';

// A counter whose every event records the count it reached: two writers deciding on a stale
// state would both write the same `n`, which is exactly what the retry must prevent.
type Increment = { type: 'Increment'; by: string } | { type: 'Refuse' };
type Incremented = { type: 'Incremented'; data: { n: number; by: string } };
type Counter = { n: number };

const counter: CommandDecider<Increment, Incremented, Counter> = {
  initialState: () => ({ n: 0 }),
  evolve: (state, event) => (event.type === 'Incremented' ? { n: event.data.n } : state),
  decide: (command, state) => {
    if (command.type === 'Refuse') throw new Error('refused by rule');
    if (command.by === 'already-done') return [];
    return [{ type: 'Incremented', data: { n: state.n + 1, by: command.by } }];
  },
};

const metadata = { tenantId: 'acme', producer: 'handle-command-test', correlationId: 'req-1' };

describe('handleCommand', () => {
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await freshSchema('es_cmd');
    await migrateEventStore({ databaseUrl: db.databaseUrl, schema: db.schema });
    store = createPostgresEventStore({ connectionString: db.databaseUrl, schema: db.schema });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  function increment(
    streamId: string,
    by: string,
    extra: { store?: Pick<EventStore, 'readStream' | 'appendToStream'>; maxRetries?: number } = {},
  ) {
    return handleCommand({
      store: extra.store ?? store,
      streamId,
      decider: counter,
      command: { type: 'Increment', by },
      metadata,
      ...(extra.maxRetries === undefined ? {} : { maxRetries: extra.maxRetries }),
    });
  }

  describe('on a new stream', () => {
    it('appends the decided events with their metadata', async () => {
      const streamId = `counter-${randomUUID()}`;
      const result = await increment(streamId, 'alice');

      expect(result.nextExpectedVersion).toBe(1);
      expect(result.events).toEqual([
        { id: expect.any(String), type: 'Incremented', data: { n: 1, by: 'alice' }, metadata },
      ]);
      const stored = await store.readStream(streamId);
      expect(stored).toEqual([
        expect.objectContaining({
          id: result.events[0]?.id,
          streamVersion: 1,
          type: 'Incremented',
          schemaVersion: 1,
          data: { n: 1, by: 'alice' },
          metadata,
        }),
      ]);
    });

    it('uses the event ids the caller derives', async () => {
      const streamId = `counter-${randomUUID()}`;
      const id = randomUUID();
      await handleCommand({
        store,
        streamId,
        decider: counter,
        command: { type: 'Increment', by: 'alice' },
        metadata,
        eventId: () => id,
      });
      expect((await store.readStream(streamId)).map((event) => event.id)).toEqual([id]);
    });
  });

  describe('on an existing stream', () => {
    it('decides on the state folded from the past events', async () => {
      const streamId = `counter-${randomUUID()}`;
      await increment(streamId, 'alice');
      const second = await increment(streamId, 'bob');

      expect(second.nextExpectedVersion).toBe(2);
      expect((await store.readStream(streamId)).map((event) => event.data)).toEqual([
        { n: 1, by: 'alice' },
        { n: 2, by: 'bob' },
      ]);
    });

    it('appends nothing when the decider finds the command already done', async () => {
      const streamId = `counter-${randomUUID()}`;
      await increment(streamId, 'alice');
      const result = await increment(streamId, 'already-done');

      expect(result).toEqual({ events: [], nextExpectedVersion: 1 });
      expect(await store.readStream(streamId)).toHaveLength(1);
    });

    it('appends nothing and rethrows when the decider refuses', async () => {
      const streamId = `counter-${randomUUID()}`;
      await increment(streamId, 'alice');
      await expect(
        handleCommand({ store, streamId, decider: counter, command: { type: 'Refuse' }, metadata }),
      ).rejects.toThrow('refused by rule');
      expect(await store.readStream(streamId)).toHaveLength(1);
    });
  });

  describe('when another writer appends in between', () => {
    it('retries on the newer state, so two concurrent commands are both applied in order', async () => {
      const streamId = `counter-${randomUUID()}`;
      // Holds both commands' first read until both have read the empty stream: one append must then conflict.
      let reads = 0;
      let releaseReads: () => void = () => undefined;
      const bothRead = new Promise<void>((resolve) => {
        releaseReads = resolve;
      });
      const interleaving: Pick<EventStore, 'readStream' | 'appendToStream'> = {
        readStream: async (id, options) => {
          const events = await store.readStream(id, options);
          reads += 1;
          if (reads === 2) releaseReads();
          if (reads <= 2) await bothRead;
          return events;
        },
        appendToStream: (id, events, options) => store.appendToStream(id, events, options),
      };

      const results = await Promise.all([
        increment(streamId, 'alice', { store: interleaving }),
        increment(streamId, 'bob', { store: interleaving }),
      ]);

      expect(reads).toBe(3);
      expect(results.map((result) => result.nextExpectedVersion).sort()).toEqual([1, 2]);
      const stored = await store.readStream(streamId);
      expect(stored.map((event) => (event.data as { n: number }).n)).toEqual([1, 2]);
      expect(stored.map((event) => (event.data as { by: string }).by).sort()).toEqual(['alice', 'bob']);
    });

    it('applies every one of many concurrent commands exactly once', async () => {
      const streamId = `counter-${randomUUID()}`;
      const writers = ['a', 'b', 'c', 'd', 'e'];
      await Promise.all(writers.map((by) => increment(streamId, by, { maxRetries: writers.length * 2 })));

      const stored = await store.readStream(streamId);
      expect(stored.map((event) => (event.data as { n: number }).n)).toEqual([1, 2, 3, 4, 5]);
      expect(stored.map((event) => (event.data as { by: string }).by).sort()).toEqual(writers);
    });

    it('gives up with the ConcurrencyError once the retries are spent', async () => {
      const streamId = `counter-${randomUUID()}`;
      let reads = 0;
      // Every read is followed by a competing append, so every attempt finds the stream moved on.
      const hotStream: Pick<EventStore, 'readStream' | 'appendToStream'> = {
        readStream: async (id, options) => {
          const events = await store.readStream(id, options);
          reads += 1;
          await increment(id, `competitor-${reads}`);
          return events;
        },
        appendToStream: (id, events, options) => store.appendToStream(id, events, options),
      };

      await expect(increment(streamId, 'alice', { store: hotStream, maxRetries: 2 })).rejects.toBeInstanceOf(
        ConcurrencyError,
      );
      expect(reads).toBe(3);
      const stored = await store.readStream(streamId);
      expect(stored.map((event) => (event.data as { by: string }).by)).toEqual([
        'competitor-1',
        'competitor-2',
        'competitor-3',
      ]);
    });
  });
});

describe('handleCommands', () => {
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await freshSchema('es_cmds');
    await migrateEventStore({ databaseUrl: db.databaseUrl, schema: db.schema });
    store = createPostgresEventStore({ connectionString: db.databaseUrl, schema: db.schema });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  type Routed = Increment & { stream: string };
  const run = (
    commands: Routed[],
    extra: Partial<Parameters<typeof handleCommands<Routed, Incremented, Counter>>[0]> = {},
  ) =>
    handleCommands({
      store,
      decider: counter,
      commands,
      streamIdOf: (command) => command.stream,
      metadataOf: () => metadata,
      ...extra,
    });
  const counts = async (stream: string) =>
    (await store.readStream(stream)).map((event) => (event.data as { n: number }).n);

  it('decides the commands of each stream in order and appends every stream at once', async () => {
    const [a, b] = [`counter-${randomUUID()}`, `counter-${randomUUID()}`];
    await increment(a);

    const result = await run([
      { type: 'Increment', by: 'x', stream: a },
      { type: 'Increment', by: 'y', stream: b },
      { type: 'Increment', by: 'already-done', stream: a },
      { type: 'Increment', by: 'z', stream: a },
    ]);

    expect(result).toEqual({ appended: 3, refused: [] });
    expect(await counts(a)).toEqual([1, 2, 3]);
    expect(await counts(b)).toEqual([1]);
  });

  it('returns a refused command and still appends the others; an error it does not accept appends nothing', async () => {
    const [a, b] = [`counter-${randomUUID()}`, `counter-${randomUUID()}`];
    const commands: Routed[] = [
      { type: 'Increment', by: 'x', stream: a },
      { type: 'Refuse', stream: b },
    ];

    await expect(run(commands)).rejects.toThrow('refused by rule');
    expect(await counts(a)).toEqual([]);
    const result = await run(commands, { isRefusal: (error) => (error as Error).message === 'refused by rule' });

    expect(result.appended).toBe(1);
    expect(result.refused.map(({ command, error }) => [command.stream, error.message])).toEqual([
      [b, 'refused by rule'],
    ]);
    expect(await counts(a)).toEqual([1]);
  });

  it('decides a stream again when another writer appended between the read and the append', async () => {
    const stream = `counter-${randomUUID()}`;
    let interfered = false;
    const racing: Pick<EventStore, 'readStreams' | 'appendToStreams'> = {
      readStreams: (requests) => store.readStreams(requests),
      appendToStreams: async (appends) => {
        if (!interfered) {
          interfered = true;
          await increment(stream, 'other-writer');
        }
        return store.appendToStreams(appends);
      },
    };

    const result = await run([{ type: 'Increment', by: 'x', stream }], { store: racing });

    expect(result.appended).toBe(1);
    expect(await counts(stream)).toEqual([1, 2]);
  });

  it('appends 450 streams in chunks of 200, every stream once', async () => {
    const streams = Array.from({ length: 450 }, () => `counter-${randomUUID()}`);
    let appendCalls = 0;
    const counted: Pick<EventStore, 'readStreams' | 'appendToStreams'> = {
      readStreams: (requests) => store.readStreams(requests),
      appendToStreams: (appends) => {
        appendCalls += 1;
        return store.appendToStreams(appends);
      },
    };

    const result = await run(
      streams.map((stream) => ({ type: 'Increment', by: 'x', stream })),
      { store: counted },
    );

    expect(result.appended).toBe(450);
    expect(appendCalls).toBe(3);
  });

  async function increment(streamId: string, by = 'seed') {
    await handleCommand({ store, streamId, decider: counter, command: { type: 'Increment', by }, metadata });
  }
});
