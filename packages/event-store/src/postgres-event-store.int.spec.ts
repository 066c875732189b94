import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createPool, quoteIdent, withTransaction } from '@l2o/pg';
import { freshSchema, spreadTransactionIdsAcrossDigits, waitFor } from '@l2o/testing';
import { describeEventStoreContract } from './event-store.contract.ts';
import { DuplicateEventIdError, START } from './event-store.port.ts';
import type { NewEvent, RecordedEvent } from './event-store.port.ts';
import { loadCheckpoint, saveCheckpoint } from './feed-checkpoint.ts';
import { migrateEventStore } from './migrate-event-store.ts';
import { createPostgresEventStore } from './postgres-event-store.ts';
import type { PostgresEventStore } from './postgres-event-store.ts';

describeEventStoreContract('PostgresEventStore', async () => {
  const db = await freshSchema('es_contract');
  await migrateEventStore({ databaseUrl: db.databaseUrl, schema: db.schema });
  const store = createPostgresEventStore({ connectionString: db.databaseUrl, schema: db.schema, pollIntervalMs: 10 });
  return {
    store,
    spreadFeedPositions: async () => void (await spreadTransactionIdsAcrossDigits(store.pool)),
    teardown: async () => {
      await store.close();
      await db.drop();
    },
  };
});

describe('PostgresEventStore', () => {
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let store: PostgresEventStore;
  let pool: pg.Pool;
  const clients: pg.Client[] = [];

  beforeAll(async () => {
    db = await freshSchema('es_pg');
    await migrateEventStore({ databaseUrl: db.databaseUrl, schema: db.schema });
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 4 });
    store = createPostgresEventStore({ connectionString: db.databaseUrl, schema: db.schema, pollIntervalMs: 10 });
  });
  // Ending a raw connection rolls back what a failed test left open, which would hold back every later feed read.
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end().catch(() => undefined)));
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await db.drop();
  });

  /** A connection outside the store, to hold a transaction open at a chosen moment. */
  async function rawClient(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: db.databaseUrl,
      options: `-c search_path=${quoteIdent(db.schema)}`,
    });
    await client.connect();
    clients.push(client);
    return client;
  }

  /** Begins a transaction that writes one event and stays open: it has taken its position, not committed. */
  async function beginLateEvent(client: pg.Client): Promise<{ id: string; position: number }> {
    const stream = `late-${randomUUID()}`;
    const id = randomUUID();
    await client.query('BEGIN');
    await client.query('INSERT INTO streams (stream_id, version) VALUES ($1, 1)', [stream]);
    const inserted = await client.query<{ global_position: string }>(
      `INSERT INTO events (stream_id, stream_version, event_id, type, schema_version, data, metadata)
       VALUES ($1, 1, $2, 'LeadCaptured', 1, '{}', '{"tenantId":"tenant-1"}') RETURNING global_position`,
      [stream, id],
    );
    return { id, position: Number(inserted.rows[0]?.global_position) };
  }

  describe('migrations', () => {
    it('a second run applies nothing', async () => {
      expect(await migrateEventStore({ databaseUrl: db.databaseUrl, schema: db.schema })).toEqual([]);
    });
  });

  describe('checkpoints', () => {
    it('loads START for a consumer that never saved, and the last saved cursor after', async () => {
      const name = `relay-${randomUUID()}`;
      expect(await loadCheckpoint(pool, name)).toBe(START);

      await saveCheckpoint(pool, name, '10:5');
      await saveCheckpoint(pool, name, '12:9');

      expect(await loadCheckpoint(pool, name)).toBe('12:9');
    });

    it('saved inside a transaction that rolls back, is not saved', async () => {
      const name = `projection-${randomUUID()}`;
      await expect(
        withTransaction(pool, async (client) => {
          await saveCheckpoint(client, name, '3:3');
          throw new Error('read model update failed');
        }),
      ).rejects.toThrow('read model update failed');

      expect(await loadCheckpoint(pool, name)).toBe(START);
    });
  });

  describe('event ids', () => {
    it('refuses an id that is already an event of another stream', async () => {
      const shared = newEvent();
      const first = `lead-${randomUUID()}`;
      await store.appendToStream(first, [shared], { expectedVersion: 'no_stream' });

      const other = `lead-${randomUUID()}`;
      const appending = store.appendToStream(other, [shared], { expectedVersion: 'any' });

      await expect(appending).rejects.toBeInstanceOf(DuplicateEventIdError);
      await expect(appending).rejects.toThrow(first);
      expect(await store.readStream(other)).toEqual([]);
    });
  });

  describe('feed order when transactions commit out of position order', () => {
    it('a naive position cursor loses an event that commits after a later one; the transaction cursor delivers both', async () => {
      const naive = naivePositionFeed(pool);
      await naive.poll();
      const from = await store.headCursor();
      const late = await rawClient();

      const held = await beginLateEvent(late);
      const early = newEvent();
      await store.appendToStream(`lead-${randomUUID()}`, [early], { expectedVersion: 'no_stream' });
      const naiveBefore = await naive.poll();
      const feedBefore = await store.readFeed(from);
      const lagBefore = await store.feedLag(from);
      await late.query('COMMIT');
      const naiveAfter = await naive.poll();
      const feedAfter = await store.readFeed(from);

      expect(naiveBefore).toEqual([early.id]);
      expect(naive.position).toBeGreaterThan(held.position);
      expect(naiveAfter).toEqual([]);
      expect(feedBefore).toEqual({ events: [], cursor: from });
      expect(lagBefore).toEqual({ readable: 0, heldBack: 1 });
      expect(feedAfter.events.map((e) => e.id)).toEqual([held.id, early.id]);
      expect(await store.feedLag(feedAfter.cursor)).toEqual({ readable: 0, heldBack: 0 });
    });

    it('under 8 concurrent writers, the naive reader loses the late commits and the transaction cursor loses nothing', async () => {
      const naive = naivePositionFeed(pool);
      await naive.poll();
      const naiveSeen = new Set<string>();
      let naiveRunning = true;
      const naiveLoop = (async () => {
        while (naiveRunning) for (const id of await naive.poll()) naiveSeen.add(id);
      })();
      onTestFinished(async () => {
        naiveRunning = false;
        await naiveLoop.catch(() => undefined);
      });
      // A transaction open elsewhere in the cluster can hold the head back on earlier tests' events.
      await waitFor(
        'earlier events to be readable',
        async () => (await store.feedLag(await store.headCursor())).heldBack === 0,
      );
      const delivered: RecordedEvent[] = [];
      const subscription = store.subscribeToFeed({
        from: await store.headCursor(),
        maxBatch: 250,
        onEvents: async (events) => {
          delivered.push(...events);
        },
      });
      onTestFinished(() => subscription.stop());

      const appended: string[] = [];
      const writers = Array.from({ length: 8 }, async (_, writer) => {
        for (let batch = 0; batch < 250; batch += 1) {
          const events = [newEvent(), newEvent(), newEvent(), newEvent()];
          await store.appendToStream(`load-${(writer * 37 + batch) % 100}`, events, { expectedVersion: 'any' });
          appended.push(...events.map((e) => e.id));
        }
      });
      // While the writers run, a late writer three times takes a position, waits until the naive
      // reader has read past it, and only then commits.
      const late = await rawClient();
      const lateIds: string[] = [];
      for (let round = 0; round < 3; round += 1) {
        const held = await beginLateEvent(late);
        const trigger = newEvent();
        await store.appendToStream(`trigger-${randomUUID()}`, [trigger], { expectedVersion: 'no_stream' });
        appended.push(trigger.id);
        await waitFor('the naive reader to pass the open transaction', () => naive.position > held.position);
        await late.query('COMMIT');
        lateIds.push(held.id);
      }
      appended.push(...lateIds);
      await Promise.all(writers);
      await waitFor('the feed to deliver every event', () => delivered.length >= appended.length, {
        timeoutMs: 20_000,
      }).catch(() => undefined);
      await subscription.stop();
      naiveRunning = false;
      await naiveLoop;
      for (const id of await naive.poll()) naiveSeen.add(id);

      const deliveredIds = delivered.map((e) => e.id);
      expect(deliveredIds).toHaveLength(8 * 1000 + 6);
      expect(new Set(deliveredIds)).toEqual(new Set(appended));
      expect(lateIds.filter((id) => naiveSeen.has(id))).toEqual([]);
      expect(naiveSeen.size).toBeLessThan(appended.length);
    });

    it('an append to several streams that waits for one of them keeps that stream in version order in the feed', async () => {
      const prefix = `multi-${randomUUID()}`;
      const [first, blocked, contested] = [`${prefix}-1`, `${prefix}-2`, `${prefix}-3`];
      await store.appendToStreams([
        { streamId: blocked, events: [newEvent()], expectedVersion: 'no_stream' },
        { streamId: contested, events: [newEvent()], expectedVersion: 'no_stream' },
      ]);
      const from = await store.headCursor();
      const holder = await rawClient();
      const holderPid = await backendPid(holder);
      await holder.query('BEGIN');
      await holder.query('SELECT version FROM streams WHERE stream_id = $1 FOR UPDATE', [blocked]);

      // Writes `first` (taking a transaction id), then waits for `blocked`, with `contested` still to do.
      const multi = store.appendToStreams([
        { streamId: first, events: [newEvent()], expectedVersion: 'any' },
        { streamId: blocked, events: [newEvent()], expectedVersion: 'any' },
        { streamId: contested, events: [newEvent()], expectedVersion: 'any' },
      ]);
      const multiPid = await waitFor('the multi-stream append to wait for the held stream', () => blockedBy(holderPid));
      let singleSettled = false;
      const single = store.appendToStream(contested, [newEvent()], { expectedVersion: 'any' }).finally(() => {
        singleSettled = true;
      });
      await waitFor(
        'the single append to finish or to wait for the multi-stream append',
        async () => singleSettled || (await blockedBy(multiPid)) !== undefined,
      );
      await holder.query('COMMIT');
      await Promise.all([multi, single]);

      const feed = await store.readFeed(from);
      const contestedVersions = feed.events.filter((e) => e.streamId === contested).map((e) => e.streamVersion);
      expect(contestedVersions).toEqual([2, 3]);
    });

    async function backendPid(client: pg.Client): Promise<number> {
      const result = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      return Number(result.rows[0]?.pid);
    }

    async function blockedBy(pid: number): Promise<number | undefined> {
      const result = await pool.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE $1::int = ANY(pg_blocking_pids(pid)) LIMIT 1',
        [pid],
      );
      return result.rows[0]?.pid;
    }
  });
});

/** The cursor we must not use: the last global position seen. It misses events that commit late. */
function naivePositionFeed(pool: pg.Pool): { poll: () => Promise<string[]>; readonly position: number } {
  let position = 0;
  return {
    get position() {
      return position;
    },
    poll: async () => {
      const result = await pool.query<{ event_id: string; global_position: string }>(
        'SELECT event_id::text AS event_id, global_position FROM events WHERE global_position > $1 ORDER BY global_position LIMIT 1000',
        [position],
      );
      const last = result.rows.at(-1);
      if (last) position = Number(last.global_position);
      return result.rows.map((row) => row.event_id);
    },
  };
}

function newEvent(): NewEvent {
  return { id: randomUUID(), type: 'LeadCaptured', data: { source: 'pg-spec' }, metadata: { tenantId: 'tenant-1' } };
}

describe('PostgresEventStore set-based appends', () => {
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  let statements: string[];

  beforeAll(async () => {
    db = await freshSchema('es_set');
    await migrateEventStore({ databaseUrl: db.databaseUrl, schema: db.schema });
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 2 });
    // Every statement the store sends, to show that its number does not grow with the streams.
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const [text] = args;
        statements.push(typeof text === 'string' ? text : String((text as { text?: string }).text));
        return query(...args);
      };
    });
    store = createPostgresEventStore({ pool, schema: db.schema });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('appends to 1 or 1,000 streams with the same few statements', async () => {
    const countFor = async (streams: number) => {
      statements = [];
      await store.appendToStreams(
        Array.from({ length: streams }, () => ({
          streamId: `lead-${randomUUID()}`,
          events: [newEvent(), newEvent()],
          expectedVersion: 'no_stream' as const,
        })),
      );
      return statements.length;
    };

    const one = await countFor(1);
    const thousand = await countFor(1_000);

    expect(one).toBeLessThanOrEqual(6);
    expect(thousand).toBe(one);
  });

  it('settles retries, new streams and appends to existing ones in one set', async () => {
    const existing = `lead-${randomUUID()}`;
    const retried = { streamId: `lead-${randomUUID()}`, events: [newEvent()], expectedVersion: 'no_stream' as const };
    await store.appendToStreams([{ streamId: existing, events: [newEvent()], expectedVersion: 'no_stream' }, retried]);
    const fresh = `lead-${randomUUID()}`;

    const results = await store.appendToStreams([
      { streamId: existing, events: [newEvent(), newEvent()], expectedVersion: 1 },
      retried,
      { streamId: fresh, events: [newEvent()], expectedVersion: 'any' },
    ]);

    expect(results).toEqual([
      { nextExpectedVersion: 3, appended: 2 },
      { nextExpectedVersion: 1, appended: 0 },
      { nextExpectedVersion: 1, appended: 1 },
    ]);
  });

  it('refuses the whole set, writing nothing, when one stream conflicts among many', async () => {
    const taken = `lead-${randomUUID()}`;
    await store.appendToStream(taken, [newEvent()], { expectedVersion: 'no_stream' });
    const others = Array.from({ length: 50 }, () => `lead-${randomUUID()}`);

    const appending = store.appendToStreams([
      ...others.map((streamId) => ({ streamId, events: [newEvent()], expectedVersion: 'no_stream' as const })),
      { streamId: taken, events: [newEvent()], expectedVersion: 'no_stream' },
    ]);

    await expect(appending).rejects.toMatchObject({ name: 'ConcurrencyError', streamId: taken, actual: 1 });
    const read = await store.readStreams(others.map((streamId) => ({ streamId })));
    expect([...read.values()].every((events) => events.length === 0)).toBe(true);
  });
});
