import { createHash } from 'node:crypto';
import type pg from 'pg';
import { createPool, withTransaction } from '@l2o/pg';
import { assertValidAppends, assertValidFromVersion, assertValidMaxCount } from './append-validation.ts';
import { START } from './event-store.port.ts';
import type {
  AppendResult,
  EventMetadata,
  EventStore,
  EventStoreCapabilities,
  ExpectedVersion,
  FeedCursor,
  FeedPage,
  FeedSubscription,
  NewEvent,
  RecordedEvent,
  StreamAppend,
  StreamRead,
} from './event-store.port.ts';
import { decodeTransactionCursor, encodeTransactionCursor } from './feed-cursor.ts';
import { pollFeed } from './feed-poller.ts';
import { appendSetBased } from './postgres-set-append.ts';

export type PostgresEventStoreOptions = {
  /** Used to open the store's own pool when `pool` is not given. */
  connectionString?: string;
  /** Schema holding the tables (see `migrateEventStore`); `public` when omitted. */
  schema?: string;
  /** A pool whose sessions resolve names in `schema`; the store then leaves closing it to the caller. */
  pool?: pg.Pool;
  /** Pause of an idle feed subscription between reads; 50 ms when omitted. */
  pollIntervalMs?: number;
};

/** How far a feed consumer is behind, for the feed lag metric. */
export type FeedLag = {
  /** Events after the cursor that a reader can read now. */
  readable: number;
  /** Committed events after the cursor held back by an older transaction that is still open. */
  heldBack: number;
};

type EventRow = {
  event_id: string;
  stream_id: string;
  stream_version: number | string;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  recorded_at: Date;
  transaction_id: string;
  global_position: number | string;
};

// The transaction id leaves as text (node-postgres has no xid8 parser), so every ORDER BY and comparison
// names `events.transaction_id`: a bare `transaction_id` there would bind to this text alias and sort
// "10000" before "9999", which skipped most of a feed once ids gained a digit.
const eventColumns = `event_id::text AS event_id, stream_id, stream_version, type, schema_version, data, metadata,
  recorded_at, events.transaction_id::text AS transaction_id, global_position`;

const defaultFeedPage = 500;

/**
 * The event store on PostgreSQL (tables from `migrateEventStore`). Appends are one transaction
 * each; the feed follows commit order through transaction ids, so a reader never skips an event
 * that committed after a later-positioned one.
 *
 * Each append holds one transaction-scoped advisory lock per stream, and those share PostgreSQL's
 * lock table (`max_locks_per_transaction` × connections): keep one `appendToStreams` to a few
 * hundred streams.
 */
export class PostgresEventStore implements EventStore {
  readonly capabilities: EventStoreCapabilities = { atomicMultiStreamAppend: true };
  readonly #pool: pg.Pool;
  readonly #ownsPool: boolean;
  readonly #schema: string;
  readonly #pollIntervalMs: number;

  constructor(options: { pool: pg.Pool; ownsPool: boolean; schema: string; pollIntervalMs: number }) {
    this.#pool = options.pool;
    this.#ownsPool = options.ownsPool;
    this.#schema = options.schema;
    this.#pollIntervalMs = options.pollIntervalMs;
  }

  /** The pool the store uses, for checkpoints and lag queries in the same schema. */
  get pool(): pg.Pool {
    return this.#pool;
  }

  async appendToStream(
    streamId: string,
    events: NewEvent[],
    options: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ streamId, events, expectedVersion: options.expectedVersion }]);
    if (!result) throw new Error('unreachable: one append yields one result');
    return result;
  }

  async appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    assertValidAppends(appends);
    if (appends.length === 0) return [];
    const lockKeys = [...new Set(appends.map((append) => streamLockKey(this.#schema, append.streamId)))].sort(compare);
    return withTransaction(this.#pool, async (client) => {
      // Every append waits for its streams here, before its first write gives it a transaction id.
      // So of two appends to one stream, the later one always has the larger transaction id, and the
      // feed (ordered by transaction id) keeps each stream in version order. Row locks alone would not:
      // an append to several streams takes its id at its first stream and may then wait for the next.
      // Sorted keys: no deadlock.
      await client.query(
        'SELECT pg_advisory_xact_lock(key) FROM unnest($1::bigint[]) WITH ORDINALITY AS lock(key, n) ORDER BY n',
        [lockKeys.map(String)],
      );
      return appendSetBased(client, appends);
    });
  }

  async readStream(
    streamId: string,
    options: { fromVersion?: number; maxCount?: number } = {},
  ): Promise<RecordedEvent[]> {
    assertValidMaxCount(options.maxCount);
    const fromVersion = options.fromVersion ?? 1;
    assertValidFromVersion(fromVersion);
    const result = await this.#pool.query<EventRow>(
      `SELECT ${eventColumns} FROM events
       WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3`,
      [streamId, fromVersion, options.maxCount ?? null],
    );
    return result.rows.map(toRecordedEvent);
  }

  async readStreams(requests: readonly StreamRead[]): Promise<Map<string, RecordedEvent[]>> {
    const byStream = new Map<string, RecordedEvent[]>();
    for (const request of requests) {
      assertValidFromVersion(request.fromVersion ?? 1);
      byStream.set(request.streamId, []);
    }
    if (byStream.size === 0) return byStream;
    const result = await this.#pool.query<EventRow>(
      `SELECT ${eventColumns} FROM unnest($1::text[], $2::bigint[]) AS wanted(stream_id, from_version)
       JOIN events USING (stream_id)
       WHERE events.stream_version >= wanted.from_version
       ORDER BY events.stream_id, events.stream_version`,
      [requests.map((request) => request.streamId), requests.map((request) => request.fromVersion ?? 1)],
    );
    for (const row of result.rows) byStream.get(row.stream_id)?.push(toRecordedEvent(row));
    return byStream;
  }

  async readFeed(from: FeedCursor, options: { maxCount?: number } = {}): Promise<FeedPage> {
    assertValidMaxCount(options.maxCount);
    const cursor = decodeTransactionCursor(from);
    // Transactions below the snapshot's xmin have all ended, so no event can still appear before the
    // page's last cursor. A plain `global_position > $last` would skip events that commit late.
    const result = await this.#pool.query<EventRow>(
      `SELECT ${eventColumns} FROM events
       WHERE (events.transaction_id, events.global_position) > ($1::xid8, $2::bigint)
         AND events.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY events.transaction_id, events.global_position
       LIMIT $3`,
      [String(cursor.transactionId), String(cursor.position), options.maxCount ?? defaultFeedPage],
    );
    const events = result.rows.map(toRecordedEvent);
    return { events, cursor: events.at(-1)?.cursor ?? from };
  }

  async headCursor(): Promise<FeedCursor> {
    const result = await this.#pool.query<{ transaction_id: string; global_position: number | string }>(
      `SELECT events.transaction_id::text AS transaction_id, events.global_position FROM events
       WHERE events.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY events.transaction_id DESC, events.global_position DESC LIMIT 1`,
    );
    const row = result.rows[0];
    return row ? rowCursor(row) : START;
  }

  /** Counts the events after `from` that are readable now and those held back by open transactions. */
  async feedLag(from: FeedCursor): Promise<FeedLag> {
    const cursor = decodeTransactionCursor(from);
    const result = await this.#pool.query<{ readable: number | string; held_back: number | string }>(
      `SELECT count(*) FILTER (WHERE events.transaction_id < horizon.oldest_open) AS readable,
              count(*) FILTER (WHERE events.transaction_id >= horizon.oldest_open) AS held_back
       FROM events, pg_snapshot_xmin(pg_current_snapshot()) AS horizon(oldest_open)
       WHERE (events.transaction_id, events.global_position) > ($1::xid8, $2::bigint)`,
      [String(cursor.transactionId), String(cursor.position)],
    );
    const row = result.rows[0];
    return { readable: Number(row?.readable ?? 0), heldBack: Number(row?.held_back ?? 0) };
  }

  subscribeToFeed(options: {
    from: FeedCursor;
    onEvents: (events: RecordedEvent[]) => Promise<void>;
    maxBatch?: number;
  }): FeedSubscription {
    return pollFeed({
      readFeed: (from, page) => this.readFeed(from, page),
      from: options.from,
      onEvents: options.onEvents,
      maxBatch: options.maxBatch ?? defaultFeedPage,
      idleMs: this.#pollIntervalMs,
    });
  }

  async close(): Promise<void> {
    if (this.#ownsPool) await this.#pool.end();
  }
}

/** Opens a PostgreSQL event store on `pool`, or on a pool of its own from `connectionString` and `schema`. */
export function createPostgresEventStore(options: PostgresEventStoreOptions): PostgresEventStore {
  const schema = options.schema ?? 'public';
  const pollIntervalMs = options.pollIntervalMs ?? 50;
  if (options.pool) return new PostgresEventStore({ pool: options.pool, ownsPool: false, schema, pollIntervalMs });
  if (!options.connectionString) throw new TypeError('createPostgresEventStore needs a connectionString or a pool');
  const pool = createPool({ connectionString: options.connectionString, schema, applicationName: 'l2o-event-store' });
  return new PostgresEventStore({ pool, ownsPool: true, schema, pollIntervalMs });
}

/**
 * The advisory lock key that serializes appends to one stream. The schema is part of it because
 * advisory locks are per database, and two schemas (tests, tenants) may hold streams of one name.
 */
function streamLockKey(schema: string, streamId: string): bigint {
  return createHash('sha256').update(`${schema}\u0000${streamId}`).digest().readBigInt64BE(0);
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
    cursor: rowCursor(row),
  };
}

function rowCursor(row: { transaction_id: string; global_position: number | string }): FeedCursor {
  return encodeTransactionCursor({ transactionId: BigInt(row.transaction_id), position: BigInt(row.global_position) });
}

function compare<T extends string | bigint>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
