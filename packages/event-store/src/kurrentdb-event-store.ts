import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START as KURRENT_START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
} from '@kurrent/kurrentdb-client';
import type {
  AppendStreamState,
  CurrentStreamState,
  EventData,
  Position,
  RecordedEvent as KurrentRecordedEvent,
} from '@kurrent/kurrentdb-client';
import {
  assertValidAppends,
  assertValidFromVersion,
  assertValidMaxCount,
  partialRetryError,
  settleEmptyAppend,
} from './append-validation.ts';
import { ConcurrencyError, START } from './event-store.port.ts';
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
import { decodeLogPositionCursor, encodeLogPositionCursor } from './feed-cursor.ts';
import { pollFeed } from './feed-poller.ts';

export type KurrentDbEventStoreOptions = {
  /** `kurrentdb://host:2113?tls=false` and the like; ignored when `client` is given. */
  connectionString?: string;
  /** A client to use; the store then leaves disposing of it to the caller. */
  client?: KurrentDBClient;
  /**
   * Use the server's multi-stream append (KurrentDB 25.1 or later) so `appendToStreams` is atomic.
   * False appends stream by stream, for older servers; true when omitted.
   */
  atomicMultiStreamAppend?: boolean;
  /** Pause of an idle feed subscription between reads; 50 ms when omitted. */
  pollIntervalMs?: number;
};

// The multi-stream append accepts string-valued metadata only, so our metadata travels as one JSON
// string; the same shape is used for single-stream appends so every event reads back alike.
const metadataKey = 'l2o.metadata';
const schemaVersionKey = 'l2o.schemaVersion';

const defaultFeedPage = 500;

/**
 * The event store port on KurrentDB. Event ids are KurrentDB event ids; our stream version is
 * KurrentDB's revision + 1; the feed is `$all` without system events, its cursor the
 * `commit:prepare` log position.
 *
 * Idempotency: before appending, the stream is read backwards for the event ids, which costs a
 * read of the stream when the ids are new (aggregate streams are short). Two concurrent retries of
 * one append are settled by the server's own id check, which may report both as appended.
 */
export class KurrentDbEventStore implements EventStore {
  readonly capabilities: EventStoreCapabilities;
  readonly #client: KurrentDBClient;
  readonly #ownsClient: boolean;
  readonly #pollIntervalMs: number;

  constructor(options: {
    client: KurrentDBClient;
    ownsClient: boolean;
    atomicMultiStreamAppend: boolean;
    pollIntervalMs: number;
  }) {
    this.#client = options.client;
    this.#ownsClient = options.ownsClient;
    this.#pollIntervalMs = options.pollIntervalMs;
    this.capabilities = { atomicMultiStreamAppend: options.atomicMultiStreamAppend };
  }

  async appendToStream(
    streamId: string,
    events: NewEvent[],
    options: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> {
    const append = { streamId, events, expectedVersion: options.expectedVersion };
    assertValidAppends([append]);
    const settled = await this.#settleRetry(append);
    if (settled) return settled;
    try {
      const result = await this.#client.appendToStream(streamId, events.map(toEventData), {
        streamState: toStreamState(options.expectedVersion),
      });
      if (!result.success)
        throw new ConcurrencyError(streamId, options.expectedVersion, fromRevision(result.nextExpectedRevision));
      return { nextExpectedVersion: Number(result.nextExpectedRevision) + 1, appended: events.length };
    } catch (error) {
      throw toConcurrencyError(error, streamId, options.expectedVersion);
    }
  }

  async appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    assertValidAppends(appends);
    if (!this.capabilities.atomicMultiStreamAppend) {
      const results: AppendResult[] = [];
      for (const append of appends) {
        results.push(
          await this.appendToStream(append.streamId, append.events, { expectedVersion: append.expectedVersion }),
        );
      }
      return results;
    }
    const results = new Array<AppendResult | undefined>(appends.length);
    const pending: { append: StreamAppend; index: number }[] = [];
    for (const [index, append] of appends.entries()) {
      const settled = await this.#settleRetry(append);
      if (settled) results[index] = settled;
      else pending.push({ append, index });
    }
    if (pending.length > 0) {
      try {
        const written = await this.#client.multiStreamAppend(
          pending.map(({ append }) => ({
            streamName: append.streamId,
            events: append.events.map(toEventData),
            expectedState: toStreamState(append.expectedVersion),
          })),
        );
        for (const { append, index } of pending) {
          const response = written.responses.find((r) => r.streamName === append.streamId);
          if (!response)
            throw new Error(`KurrentDB multi-stream append returned no revision for stream ${append.streamId}`);
          results[index] = { nextExpectedVersion: Number(response.revision) + 1, appended: append.events.length };
        }
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) {
          const failed = pending.find(({ append }) => append.streamId === error.streamName)?.append;
          throw toConcurrencyError(error, error.streamName, failed?.expectedVersion ?? 'any');
        }
        throw error;
      }
    }
    return results.map((result) => {
      if (!result) throw new Error('unreachable: every append has a result');
      return result;
    });
  }

  async readStream(
    streamId: string,
    options: { fromVersion?: number; maxCount?: number } = {},
  ): Promise<RecordedEvent[]> {
    assertValidMaxCount(options.maxCount);
    const fromVersion = options.fromVersion ?? 1;
    assertValidFromVersion(fromVersion);
    const events: RecordedEvent[] = [];
    try {
      const reading = this.#client.readStream(streamId, {
        direction: FORWARDS,
        fromRevision: BigInt(fromVersion - 1),
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      });
      for await (const resolved of reading) {
        if (resolved.event) events.push(toRecordedEvent(resolved.event));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  async readStreams(requests: readonly StreamRead[]): Promise<Map<string, RecordedEvent[]>> {
    const byStream = new Map<string, RecordedEvent[]>();
    // The server reads one stream per call; a few in flight at once keeps a large set quick without flooding it.
    const pending = [...requests];
    const worker = async (): Promise<void> => {
      for (let request = pending.shift(); request; request = pending.shift()) {
        const fromVersion = request.fromVersion ?? 1;
        byStream.set(request.streamId, await this.readStream(request.streamId, { fromVersion }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, requests.length) }, worker));
    return new Map(requests.map((request) => [request.streamId, byStream.get(request.streamId) ?? []]));
  }

  async readFeed(from: FeedCursor, options: { maxCount?: number } = {}): Promise<FeedPage> {
    assertValidMaxCount(options.maxCount);
    const maxCount = options.maxCount ?? defaultFeedPage;
    const after = decodeLogPositionCursor(from);
    const events: RecordedEvent[] = [];
    let cursor = from;
    // Reading `$all` from a position includes the event at that position, so ask for one more.
    const reading = this.#client.readAll({
      direction: FORWARDS,
      fromPosition: after ?? KURRENT_START,
      maxCount: maxCount + 1,
      filter: excludeSystemEvents(),
    });
    for await (const resolved of reading) {
      const event = resolved.event;
      if (!event) continue;
      if (after && samePosition(event.position, after)) continue;
      if (events.length === maxCount) break;
      cursor = encodeLogPositionCursor(event.position);
      if (!event.streamId.startsWith('$')) events.push(toRecordedEvent(event));
    }
    return { events, cursor };
  }

  async headCursor(): Promise<FeedCursor> {
    const reading = this.#client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
      filter: excludeSystemEvents(),
    });
    for await (const resolved of reading) {
      if (resolved.event) return encodeLogPositionCursor(resolved.event.position);
    }
    return START;
  }

  subscribeToFeed(options: {
    from: FeedCursor;
    onEvents: (events: RecordedEvent[]) => Promise<void>;
    maxBatch?: number;
  }): FeedSubscription {
    // Polling keeps one delivery path (page by page, handler awaited) for both stores; a catch-up
    // subscription on `$all` would cut latency but needs its own back-pressure.
    return pollFeed({
      readFeed: (from, page) => this.readFeed(from, page),
      from: options.from,
      onEvents: options.onEvents,
      maxBatch: options.maxBatch ?? defaultFeedPage,
      idleMs: this.#pollIntervalMs,
    });
  }

  async close(): Promise<void> {
    if (this.#ownsClient) await this.#client.dispose();
  }

  /**
   * Settles an append without writing when its events are already stored (a retry) or when it has
   * no events; undefined when it must be written. Throws when only some ids are in the stream.
   */
  async #settleRetry(append: StreamAppend): Promise<AppendResult | undefined> {
    const wanted = new Set(append.events.map((event) => event.id));
    const { version, found } = await this.#scanForIds(append.streamId, wanted);
    if (append.events.length === 0) return settleEmptyAppend(append, version === 0 ? 'no_stream' : version);
    if (found.length === wanted.size) return { nextExpectedVersion: version, appended: 0 };
    if (found.length > 0) throw partialRetryError(append.streamId, found, wanted.size);
    return undefined;
  }

  /** Reads the stream from its end until all `ids` are found; returns its version and the ids found. */
  async #scanForIds(streamId: string, ids: Set<string>): Promise<{ version: number; found: string[] }> {
    const found: string[] = [];
    let version = 0;
    try {
      for await (const resolved of this.#client.readStream(streamId, { direction: BACKWARDS, fromRevision: END })) {
        const event = resolved.event;
        if (!event) continue;
        if (version === 0) version = Number(event.revision) + 1;
        if (ids.has(event.id)) found.push(event.id);
        if (found.length === ids.size) break;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return { version, found };
  }
}

/** Connects a KurrentDB event store from a connection string, or wraps an existing client. */
export function createKurrentDbEventStore(options: KurrentDbEventStoreOptions): KurrentDbEventStore {
  const shared = {
    atomicMultiStreamAppend: options.atomicMultiStreamAppend ?? true,
    pollIntervalMs: options.pollIntervalMs ?? 50,
  };
  if (options.client) return new KurrentDbEventStore({ client: options.client, ownsClient: false, ...shared });
  if (!options.connectionString) throw new TypeError('createKurrentDbEventStore needs a connectionString or a client');
  return new KurrentDbEventStore({
    client: KurrentDBClient.connectionString(options.connectionString),
    ownsClient: true,
    ...shared,
  });
}

function toStreamState(expected: ExpectedVersion): AppendStreamState {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      // Our version counts events; KurrentDB's revision is the index of the last one.
      return expected === 0 ? NO_STREAM : BigInt(expected - 1);
  }
}

function fromRevision(revision: bigint | CurrentStreamState): number | 'no_stream' {
  return revision === NO_STREAM || revision < 0n ? 'no_stream' : Number(revision) + 1;
}

function toConcurrencyError(error: unknown, streamId: string, expected: ExpectedVersion): unknown {
  if (error instanceof ConcurrencyError) return error;
  if (error instanceof WrongExpectedVersionError)
    return new ConcurrencyError(streamId, expected, fromRevision(error.actualState));
  return error;
}

function toEventData(event: NewEvent): EventData {
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: { [metadataKey]: JSON.stringify(event.metadata), [schemaVersionKey]: String(event.schemaVersion ?? 1) },
  });
}

function toRecordedEvent(event: KurrentRecordedEvent): RecordedEvent {
  if (!event.isJson)
    throw new Error(`event ${event.id} in stream ${event.streamId} is not JSON; it was not written by this store`);
  if (!event.position)
    throw new Error('KurrentDB returned an event without its log position; the server must be 22.6 or later');
  const stored = isRecord(event.metadata) ? event.metadata : {};
  const encoded: unknown = typeof stored[metadataKey] === 'string' ? JSON.parse(stored[metadataKey]) : undefined;
  // An event appended by another tool keeps its own metadata, whatever its shape.
  const metadata: EventMetadata = isRecord(encoded)
    ? { ...encoded, tenantId: String(encoded.tenantId ?? '') }
    : { ...stored, tenantId: String(stored.tenantId ?? '') };
  const schemaVersion = Number(stored[schemaVersionKey] ?? 1);
  return {
    id: event.id,
    streamId: event.streamId,
    streamVersion: Number(event.revision) + 1,
    type: event.type,
    schemaVersion: Number.isInteger(schemaVersion) ? schemaVersion : 1,
    data: isRecord(event.data) ? event.data : { value: event.data },
    metadata,
    recordedAt: event.created,
    cursor: encodeLogPositionCursor(event.position),
  };
}

function samePosition(a: Position, b: Position): boolean {
  return a.commit === b.commit && a.prepare === b.prepare;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
