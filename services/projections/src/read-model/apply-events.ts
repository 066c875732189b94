import type pg from 'pg';
import { PermanentError } from '@l2o/bus';
import { catalogue } from '@l2o/contracts';
import type { Aggregate } from '@l2o/contracts';
import { withTransaction } from '@l2o/pg';
import { sequenceBatch, StreamGapError } from '@l2o/stream-consumer';
import type { StreamEvent, StreamPosition } from '@l2o/stream-consumer';
import { moveReadModelPositions, readReadModelPositions } from './read-model-positions.repository.ts';
import type { ReadModelPositions } from './read-model-positions.repository.ts';
import type { ReadModel } from './read-model.ts';

// Positions: the kit's sequencing and gap error over this service's own `read_model_positions`, rather
// than one kit consumer per read model. A rebuild resets one model, so positions must stay per model;
// six kit consumers would mean six transactions and six parses of every message, and the rebuild
// (which reads the store, not Kafka) could not share their path. Here one transaction per batch
// locks, checks and moves every model's positions, and the Kafka consumer and the rebuild share it.

/**
 * An event of a followed stream whose type this build's catalogue does not know (a newer producer):
 * it moves the positions of the models following the stream, so its successors are no gap, and a
 * rebuild applies it once this build knows it.
 */
export type UnknownStreamEvent = {
  unknownType: string;
  id: string;
  streamId: string;
  aggregate: Aggregate;
  streamVersion: number;
  tenantId: string;
};

/** What a batch holds: events of the catalogue, and perhaps some of types this build does not know. */
export type BatchEvent = StreamEvent | UnknownStreamEvent;

/** Per read model following any of the batch's streams: events taken, and redeliveries skipped. */
export type ApplyResult = Record<string, { applied: number; duplicates: number }>;

/** `applied`: the read model took the event; `duplicate`: it had it already (a redelivery), nothing changed. */
export type ApplyOutcome = 'applied' | 'duplicate';

/**
 * The aggregates whose streams a read model follows: those it handles any catalogued event of.
 * It then sees every event of those streams, handled or not, so its positions have no holes.
 */
export function followedAggregates(readModel: ReadModel): ReadonlySet<Aggregate> {
  let aggregates = followed.get(readModel);
  if (aggregates === undefined) {
    aggregates = new Set(catalogue.filter((entry) => readModel.handles(entry.name)).map((entry) => entry.aggregate));
    followed.set(readModel, aggregates);
  }
  return aggregates;
}

const followed = new WeakMap<ReadModel, ReadonlySet<Aggregate>>();

/**
 * Applies a batch to every read model that follows any of its streams, in one transaction with each
 * model's positions in those streams: a redelivered event is skipped, the next version of a stream is
 * applied, anything beyond is a gap and rolls the whole batch back.
 * @throws StreamGapError on a gap; ReadModelPositionsMovedError (transient) when a concurrent delivery of
 *   the same streams moved them first; PermanentError when an event claims a stream of another tenant;
 *   whatever a read model's `applyBatch` throws (a `PermanentError` for an event that can never apply).
 */
export async function applyEvents(options: {
  pool: pg.Pool;
  readModels: readonly ReadModel[];
  events: readonly BatchEvent[];
}): Promise<ApplyResult> {
  if (options.events.length === 0) return {};
  return withTransaction(options.pool, (client) => applyEventsInTransaction({ ...options, client }));
}

/** {@link applyEvents} with one event; its outcome per read model that follows its stream. */
export async function applyEvent(options: {
  pool: pg.Pool;
  readModels: readonly ReadModel[];
  event: BatchEvent;
}): Promise<Record<string, ApplyOutcome>> {
  const result = await applyEvents({ ...options, events: [options.event] });
  return Object.fromEntries(
    Object.entries(result).map(([name, counts]) => [name, counts.applied > 0 ? 'applied' : 'duplicate']),
  );
}

/** {@link applyEvents} inside the caller's transaction. */
export async function applyEventsInTransaction(options: {
  client: pg.PoolClient;
  readModels: readonly ReadModel[];
  events: readonly BatchEvent[];
}): Promise<ApplyResult> {
  const { client, events } = options;
  const followers = options.readModels.filter((model) => {
    const aggregates = followedAggregates(model);
    return events.some((event) => aggregates.has(event.aggregate));
  });
  if (followers.length === 0) return {};
  const scope = {
    readModels: followers.map((model) => model.name),
    streamIds: [...new Set(events.map((event) => event.streamId))],
  };
  let positions = await readReadModelPositions(client, scope);
  let sequenced = sequenceAll({ readModels: followers, events, positions });
  if (sequenced instanceof StreamGapError) {
    // Read without locks, a gap may be a delivery of the stream still committing: look again once it has.
    positions = await readReadModelPositions(client, { ...scope, lock: true });
    sequenced = sequenceAll({ readModels: followers, events, positions });
    if (sequenced instanceof StreamGapError) throw sequenced;
  }
  // Moved before the models apply: the write takes the rows' locks, so a concurrent delivery of these
  // streams waits for this batch, then finds its positions moved and retries.
  await moveReadModelPositions(client, { known: positions, reached: sequenced.reached });
  for (const batch of sequenced.batches) await batch.readModel.applyBatch({ client, events: batch.events });
  return sequenced.result;
}

type Sequenced = {
  reached: ReadModelPositions;
  result: ApplyResult;
  batches: Array<{ readModel: ReadModel; events: StreamEvent[] }>;
};

/** What every model takes of the batch and the positions it reaches, or the first gap met. */
function sequenceAll(options: {
  readModels: readonly ReadModel[];
  events: readonly BatchEvent[];
  positions: ReadModelPositions;
}): Sequenced | StreamGapError {
  const sequenced: Sequenced = { reached: new Map(), result: {}, batches: [] };
  for (const readModel of options.readModels) {
    const taken = sequenceFor({ readModel, events: options.events, positions: options.positions });
    if (taken instanceof StreamGapError) return taken;
    sequenced.reached.set(readModel.name, taken.reached);
    sequenced.result[readModel.name] = { applied: taken.applied, duplicates: taken.duplicates };
    if (taken.handled.length > 0) sequenced.batches.push({ readModel, events: taken.handled });
  }
  return sequenced;
}

/** The events of `readModel`'s streams it takes, in batch order, and the positions it reaches; or its first gap. */
function sequenceFor(options: {
  readModel: ReadModel;
  events: readonly BatchEvent[];
  positions: ReadModelPositions;
}):
  | { handled: StreamEvent[]; applied: number; duplicates: number; reached: Map<string, StreamPosition> }
  | StreamGapError {
  const { readModel } = options;
  const aggregates = followedAggregates(readModel);
  const events = options.events.filter((event) => aggregates.has(event.aggregate));
  const { verdicts, reached } = sequenceBatch(
    events.map((event) => ({ streamId: event.streamId, version: event.streamVersion, tenantId: event.tenantId })),
    options.positions.get(readModel.name) ?? new Map(),
  );
  const handled: StreamEvent[] = [];
  let duplicates = 0;
  for (const [index, event] of events.entries()) {
    const verdict = verdicts[index];
    switch (verdict?.kind) {
      case 'gap':
        return new StreamGapError({
          consumer: readModel.name,
          streamId: event.streamId,
          appliedVersion: verdict.applied,
          receivedVersion: event.streamVersion,
        });
      case 'foreign-tenant':
        throw new PermanentError(
          `event ${event.id}: ${event.streamId} belongs to tenant ${verdict.streamTenant}; ` +
            `this event of version ${event.streamVersion} claims tenant ${event.tenantId}`,
        );
      case 'duplicate':
        duplicates += 1;
        break;
      default:
        if (!('unknownType' in event) && readModel.handles(event.type)) handled.push(event);
    }
  }
  return { handled, applied: events.length - duplicates, duplicates, reached };
}
