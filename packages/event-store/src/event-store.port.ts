/** What the caller expects of a stream before appending; a mismatch is a {@link ConcurrencyError}. */
export type ExpectedVersion =
  | 'no_stream' // the stream must not exist yet
  | 'stream_exists' // the stream must exist, at any version
  | 'any' // no check
  | number; // the stream's current version must be exactly this (1 = one event so far)

/** Metadata every stored event carries; services fill tenant and tracing ids, the store fills the rest. */
export type EventMetadata = {
  tenantId: string;
  correlationId?: string;
  causationId?: string;
  /** W3C trace context of the request or message that caused this event. */
  traceparent?: string;
  /** Service that appended the event. */
  producer?: string;
  [key: string]: unknown;
};

export type NewEvent = {
  /** Caller-chosen unique id (UUID); re-sending the same id is "already appended", never a second event. */
  id: string;
  /** PascalCase, past tense: `LeadCaptured`. */
  type: string;
  /** Version of the event's payload schema; 1 unless the contract says otherwise. */
  schemaVersion?: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
};

/** An opaque, totally ordered position in the global feed. `START` precedes every event. */
export type FeedCursor = string;
export const START: FeedCursor = 'start';

export type RecordedEvent = {
  id: string;
  streamId: string;
  /** 1-based position of the event in its stream. */
  streamVersion: number;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  recordedAt: Date;
  /** Position of this event in the global feed; resuming from it yields the events after it. */
  cursor: FeedCursor;
};

export type AppendResult = {
  /** The stream's version after the append (pass it as the next `expectedVersion`). */
  nextExpectedVersion: number;
  /**
   * Events actually written: all of them, or 0 when every id was already in the stream (a retry of
   * an append that committed). An append that repeats only some stored ids fails with {@link DuplicateEventIdError}.
   */
  appended: number;
};

/** One stream of a {@link EventStore.readStreams} call. */
export type StreamRead = { streamId: string; fromVersion?: number };

export type StreamAppend = { streamId: string; events: NewEvent[]; expectedVersion: ExpectedVersion };

export type FeedPage = { events: RecordedEvent[]; cursor: FeedCursor };

/** What an adapter can guarantee beyond the common contract. */
export type EventStoreCapabilities = {
  /** `appendToStreams` writes all streams or none; false means it appends stream by stream. */
  atomicMultiStreamAppend: boolean;
};

export type FeedSubscription = {
  /** Resolves once the subscription has stopped (after `stop()` or a handler error, which it rethrows). */
  done: Promise<void>;
  stop(): Promise<void>;
};

/**
 * The event store port. Both the PostgreSQL store and the KurrentDB adapter implement it and
 * pass the same contract suite (`event-store.contract.ts`).
 */
export type EventStore = {
  readonly capabilities: EventStoreCapabilities;
  appendToStream(
    streamId: string,
    events: NewEvent[],
    options: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult>;
  /** Appends to several streams atomically: all succeed or none is written. */
  appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]>;
  /** The stream's events in version order; empty when the stream does not exist. */
  readStream(streamId: string, options?: { fromVersion?: number; maxCount?: number }): Promise<RecordedEvent[]>;
  /**
   * Several streams at once, each from its `fromVersion` (default 1): a map holding every requested
   * stream id, with its events in version order (empty when it does not exist).
   */
  readStreams(requests: readonly StreamRead[]): Promise<Map<string, RecordedEvent[]>>;
  /** One page of the global feed after `from`, in commit order, with no gaps. */
  readFeed(from: FeedCursor, options?: { maxCount?: number }): Promise<FeedPage>;
  /**
   * The cursor of the newest event a feed reader can see now (`START` when there is none).
   * A consumer whose last handled cursor equals it is caught up; reading from it yields only later events.
   */
  headCursor(): Promise<FeedCursor>;
  /** Tails the feed after `from`, calling `onEvents` with each page, in order, until stopped. */
  subscribeToFeed(options: {
    from: FeedCursor;
    onEvents: (events: RecordedEvent[]) => Promise<void>;
    maxBatch?: number;
  }): FeedSubscription;
  close(): Promise<void>;
};

/** The stream was not at the expected version: reload, decide again, retry. */
export class ConcurrencyError extends Error {
  readonly streamId: string;
  readonly expected: ExpectedVersion;
  readonly actual: number | 'no_stream';
  constructor(streamId: string, expected: ExpectedVersion, actual: number | 'no_stream') {
    super(`stream ${streamId}: expected version ${String(expected)}, actual ${String(actual)}`);
    this.name = 'ConcurrencyError';
    this.streamId = streamId;
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * Some of the appended event ids are already stored, but not as exactly this append: only some of
 * them are in the stream (a retry must resend the same events), or one is in another stream
 * (event ids are unique across the store). Retrying the same request cannot succeed.
 */
export class DuplicateEventIdError extends Error {
  readonly streamId: string;
  readonly duplicateIds: string[];
  constructor(streamId: string, duplicateIds: string[], detail: string) {
    super(`stream ${streamId}: event ids already appended (${duplicateIds.join(', ')}): ${detail}`);
    this.name = 'DuplicateEventIdError';
    this.streamId = streamId;
    this.duplicateIds = duplicateIds;
  }
}
