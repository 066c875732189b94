import type pg from 'pg';
import { PermanentError, silentLogger } from '@l2o/bus';
import type { BusLogger, ConsumedEvent, EventHandler } from '@l2o/bus';
import { aggregateOfCloudEventType, catalogueEntryByCloudEventType, streamIdFor } from '@l2o/contracts';
import type { EventStore } from '@l2o/event-store';
import { withTransaction } from '@l2o/pg';
import { keepCommands, sendKept, sweepOutbox } from './command-outbox.ts';
import type { CommandDispatcher, OutboxEntry } from './command-outbox.ts';
import { missingVersions, sequenceBatch } from './sequence-batch.ts';
import type { SequencedItem, StreamPosition, Verdict } from './sequence-batch.ts';
import { StreamGapError } from './stream-gap-error.ts';
import { lockPositions, savePositions } from './stream-positions.repository.ts';
import { streamEventFromCloudEvent, streamEventFromRecorded } from './stream-event.ts';
import type { StreamEvent } from './stream-event.ts';

/**
 * What to do with an event whose predecessor in its stream was never applied: `refuse` it (it fails,
 * is retried, then dead-lettered; see {@link StreamGapError}), or read the missing events from the event
 * store and apply them first. Never skip.
 */
export type GapPolicy = 'refuse' | { backfillFrom: Pick<EventStore, 'readStreams'> };

/** A batch as the consumer's `apply` sees it. */
export type StreamBatch<Command> = {
  /** The batch's transaction: write with it, and the writes commit with the positions. */
  client: pg.PoolClient;
  /** The batch's new events of the handled types, in partition order (each stream in version order). */
  events: readonly StreamEvent[];
  /** Keeps a command to send once the batch has committed (see {@link StreamConsumerOptions.dispatch}). */
  send(command: Command): void;
};

export type StreamConsumerOptions<Command> = {
  /** Names the consumer's positions and outbox rows; stable across releases. */
  consumer: string;
  pool: pg.Pool;
  /** The event names `apply` wants; the others of a followed stream only move the position. */
  handles: (eventName: string) => boolean;
  gaps: GapPolicy;
  apply: (batch: StreamBatch<Command>) => Promise<void>;
  /** Sends kept commands after the commit; required when `apply` sends any. Must be idempotent. */
  dispatch?: CommandDispatcher<Command>;
  /** Called for each gap met (a metric, a log line), whatever the policy. */
  onGap?: (gap: { streamId: string; applied: number; received: number }) => void;
  logger?: BusLogger;
};

/** The bus handlers of a stream consumer, and the sweep that re-sends commands a crash left behind. */
export type StreamConsumerHandlers<Command = never> = {
  /** A partition's fetched messages, applied in one transaction; any failure makes the bus retry them one by one. */
  handleBatch: (messages: readonly ConsumedEvent[]) => Promise<void>;
  /** One message: the bus's fallback for a failed batch, and its retries. */
  handle: EventHandler;
  /** Sends commands kept longer than `minAgeMs` ago and not sent; run it on a schedule. */
  sweepOutbox: (options?: { minAgeMs?: number }) => Promise<number>;
  /**
   * The batch's outbox for work outside a batch (a timer firing): runs `work` in a transaction, keeps
   * what it `send`s with its writes, and sends it after the commit, as a batch's commands are.
   */
  withOutbox: <T>(
    work: (context: { client: pg.PoolClient; send: (command: Command) => void }) => Promise<T>,
  ) => Promise<T>;
};

type Item = SequencedItem & { handled: boolean; toEvent: () => StreamEvent };

/**
 * Builds the handlers every consumer of aggregate events uses. Per batch, in one transaction: lock the
 * consumer's positions in the batch's streams, keep each stream's next events in order (a redelivery is
 * skipped, a gap refused or back-filled, another tenant's claim on a stream refused), hand the events of
 * the handled types to `apply`, move the positions and keep the commands `apply` sent; after the commit,
 * send those commands. Offsets are the bus's, committed after this resolves, so a crash in between
 * redelivers a batch that now changes nothing.
 */
export function createStreamConsumer<Command = never>(
  options: StreamConsumerOptions<Command>,
): StreamConsumerHandlers<Command> {
  const logger = options.logger ?? silentLogger;
  const { consumer, pool } = options;

  async function withOutbox<T>(
    work: (context: { client: pg.PoolClient; send: (command: Command) => void }) => Promise<T>,
  ): Promise<T> {
    const { result, kept } = await withTransaction(pool, async (client) => {
      const commands: Command[] = [];
      const result = await work({ client, send: (command) => commands.push(command) });
      return { result, kept: commands.length > 0 ? await keepCommands(client, consumer, commands) : [] };
    });
    await sendAfterCommit(kept);
    return result;
  }

  async function handleBatch(messages: readonly ConsumedEvent[]): Promise<void> {
    const items = messages.map((message) => toItem(message.event, options.handles));
    if (items.length === 0) return;
    await withOutbox(async ({ client, send }) => {
      const positions = await lockPositions(
        client,
        consumer,
        items.map((item) => item.streamId),
      );
      const sequenced = await withBackfill({ items, positions, ...options });
      const events = newEventsOf(consumer, sequenced);
      if (events.length > 0) await options.apply({ client, events, send });
      await savePositions(client, { consumer, known: new Set(positions.keys()), reached: sequenced.reached });
    });
  }

  async function sendAfterCommit(kept: ReadonlyArray<OutboxEntry<Command>>): Promise<void> {
    if (kept.length === 0) return;
    if (!options.dispatch) throw new Error(`consumer ${consumer} sent commands but has no dispatch`);
    try {
      await sendKept(pool, kept, options.dispatch);
    } catch (error) {
      // The batch is committed; its commands wait in the outbox for the sweep.
      logger.warn({ consumer, commands: kept.length, err: error }, 'commands not sent; the outbox sweep retries them');
    }
  }

  return {
    handleBatch,
    withOutbox,
    handle: (message) => handleBatch([message]),
    sweepOutbox: async (sweep = {}) => {
      if (!options.dispatch) return 0;
      return sweepOutbox({ pool, consumer, dispatch: options.dispatch, minAgeMs: sweep.minAgeMs ?? 10_000 });
    },
  };
}

/** The sequenced batch's next events of the handled types; throws on its first gap or foreign tenant. */
function newEventsOf(consumer: string, sequenced: { items: Item[]; verdicts: Verdict[] }): StreamEvent[] {
  return sequenced.items.flatMap((item, index) => {
    const verdict = sequenced.verdicts[index];
    if (verdict?.kind === 'gap') {
      throw new StreamGapError({
        consumer,
        streamId: item.streamId,
        appliedVersion: verdict.applied,
        receivedVersion: item.version,
      });
    }
    if (verdict?.kind === 'foreign-tenant') {
      throw new PermanentError(
        `${item.streamId} belongs to tenant ${verdict.streamTenant}; an event of version ${item.version} claims tenant ${item.tenantId}`,
      );
    }
    return verdict?.kind === 'next' && item.handled ? [item.toEvent()] : [];
  });
}

function toItem(event: ConsumedEvent['event'], handles: (eventName: string) => boolean): Item {
  const entry = catalogueEntryByCloudEventType(event.type);
  const aggregate = aggregateOfCloudEventType(event.type);
  if (aggregate === undefined) throw new PermanentError(`event ${event.id}: ${event.type} is no aggregate's event`);
  // An unknown type (a newer producer) still moves the position; a rebuild applies it once this build knows it.
  const handled = entry !== undefined && handles(entry.name);
  return {
    streamId: streamIdFor(aggregate, event.subject),
    version: event.streamversion,
    tenantId: event.tenantid,
    handled,
    toEvent: () => streamEventFromCloudEvent(event),
  };
}

/** Sequences the batch; under the back-fill policy, reads what a gap misses from the store and sequences again. */
async function withBackfill(options: {
  items: Item[];
  positions: ReadonlyMap<string, StreamPosition>;
  gaps: GapPolicy;
  handles: (eventName: string) => boolean;
  onGap?: StreamConsumerOptions<unknown>['onGap'];
}): Promise<{ items: Item[]; verdicts: Verdict[]; reached: Map<string, StreamPosition> }> {
  const first = sequenceBatch(options.items, options.positions);
  const missing = missingVersions(options.items, first.verdicts);
  for (const [streamId, range] of missing) options.onGap?.({ streamId, applied: range.after, received: range.before });
  if (missing.size === 0 || options.gaps === 'refuse') return { items: options.items, ...first };

  const read = await options.gaps.backfillFrom.readStreams(
    [...missing].map(([streamId, range]) => ({ streamId, fromVersion: range.after + 1 })),
  );
  const filled: Item[] = [];
  const gapAt = new Map([...missing].map(([streamId, range]) => [range.at, { streamId, range }]));
  options.items.forEach((item, index) => {
    const gap = gapAt.get(index);
    for (const recorded of gap ? (read.get(gap.streamId) ?? []) : []) {
      if (recorded.streamVersion >= (gap?.range.before ?? 0)) break;
      const event = streamEventFromRecorded(recorded);
      if (event) filled.push(storedItem(event, options.handles));
    }
    filled.push(item);
  });
  return { items: filled, ...sequenceBatch(filled, options.positions) };
}

function storedItem(event: StreamEvent, handles: (eventName: string) => boolean): Item {
  return {
    streamId: event.streamId,
    version: event.streamVersion,
    tenantId: event.tenantId,
    handled: handles(event.type),
    toEvent: () => event,
  };
}
