/**
 * @packageDocumentation
 * The one consumer kit for aggregate events: per-stream positions kept in the handler's transaction,
 * one gap policy (refuse or back-fill from the event store, never skip), tenant checks, batch-shaped
 * handlers, and commands kept in an outbox and sent after the commit.
 */
export { createStreamConsumer } from './stream-batch-handler.ts';
export { createOutboxSweepTask } from './outbox-sweep-task.ts';
export type { GapPolicy, StreamBatch, StreamConsumerHandlers, StreamConsumerOptions } from './stream-batch-handler.ts';
export { StreamGapError } from './stream-gap-error.ts';
export { streamEventFromCloudEvent, streamEventFromRecorded } from './stream-event.ts';
export type { CatalogueEvent, StreamEvent } from './stream-event.ts';
export { sequenceBatch } from './sequence-batch.ts';
export type { SequencedItem, StreamPosition, Verdict } from './sequence-batch.ts';
export type { CommandDispatcher } from './command-outbox.ts';
export { migrateStreamConsumer } from './migrate-stream-consumer.ts';
