export { ConcurrencyError, DuplicateEventIdError, START } from './event-store.port.ts';
export type {
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
export { eventMetadata } from './event-metadata.ts';
export type { EventMetadataOptions } from './event-metadata.ts';
export { PostgresEventStore, createPostgresEventStore } from './postgres-event-store.ts';
export type { FeedLag, PostgresEventStoreOptions } from './postgres-event-store.ts';
export { KurrentDbEventStore, createKurrentDbEventStore } from './kurrentdb-event-store.ts';
export type { KurrentDbEventStoreOptions } from './kurrentdb-event-store.ts';
export { migrateEventStore } from './migrate-event-store.ts';
export {
  checkLegacyCheckpoint,
  loadCheckpoint,
  requestCheckpointRewind,
  saveCheckpoint,
  takeCheckpointRewind,
} from './feed-checkpoint.ts';
export type { LegacyCheckpointCheck, Queryable } from './feed-checkpoint.ts';
export { InvalidFeedCursorError } from './feed-cursor.ts';
export { pollFeed } from './feed-poller.ts';
export type { PollFeedOptions } from './feed-poller.ts';
export {
  handleCommand,
  handleCommands,
  type HandleCommandsResult,
  retryDelayMs,
  retryOnConflict,
  toNewEvents,
  type CommandDecider,
  type DecidedEvent,
  type HandleCommandOptions,
  type HandleCommandResult,
} from './handle-command.ts';
