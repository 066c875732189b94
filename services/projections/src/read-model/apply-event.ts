import type pg from 'pg';
import { catalogue } from '@l2o/contracts';
import type { Aggregate } from '@l2o/contracts';
import { withTransaction } from '@l2o/pg';
import type { ProjectedEvent, ReadModel } from './read-model.ts';

/**
 * An event arrived whose predecessor in its stream was never applied to `readModel`. The event store
 * keeps each stream in order and the relay publishes it in order on one partition, so this means a lost
 * message (or a read model added without a rebuild).
 *
 * Applying it anyway (with a log line and a metric) would make the loss permanent and silent: the
 * missing event, if it ever came, would then count as a replay. Retrying it forever as a transient error
 * would freeze every lead on the partition behind one lost message. So it is an ordinary failure: the
 * consumer counts it (`l2o_read_model_stream_gaps_total`) and logs it, the bus retries it with backoff
 * (riding out a rebalance that delivers a partition twice), then dead-letters it with this message and
 * the partition moves on. The stream's later events fail the same way, so nothing is applied out of
 * order; `scripts/rebuild-read-model` repairs the model from the event store and the stream flows again.
 */
export class StreamGapError extends Error {
  readonly readModel: string;
  readonly streamId: string;
  readonly appliedVersion: number;
  readonly receivedVersion: number;

  constructor(options: { readModel: string; streamId: string; appliedVersion: number; receivedVersion: number }) {
    super(
      `read model ${options.readModel}, stream ${options.streamId}: received version ${options.receivedVersion} ` +
        `but the last applied is ${options.appliedVersion}; events ${options.appliedVersion + 1}..` +
        `${options.receivedVersion - 1} are missing`,
    );
    this.name = 'StreamGapError';
    this.readModel = options.readModel;
    this.streamId = options.streamId;
    this.appliedVersion = options.appliedVersion;
    this.receivedVersion = options.receivedVersion;
  }
}

/** `applied`: the read model took the event; `duplicate`: it had it already (a redelivery), nothing changed. */
export type ApplyOutcome = 'applied' | 'duplicate';

/** The outcome for each read model that follows the event's aggregate, by read model name. */
export type ApplyResult = Record<string, ApplyOutcome>;

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
 * The CloudEvents types a consumer feeding `readModels` must receive: every catalogued type of every
 * aggregate one of them follows, because a skipped type would leave a hole in that model's positions.
 */
export function consumedCloudEventTypes(readModels: readonly ReadModel[]): string[] {
  const aggregates = new Set(readModels.flatMap((model) => [...followedAggregates(model)]));
  return catalogue.filter((entry) => aggregates.has(entry.aggregate)).map((entry) => entry.cloudEventType);
}

/**
 * Applies one event to every read model that follows its stream, in one transaction with each model's
 * position in that stream: a replay (version ≤ position) changes nothing, the next version is applied,
 * anything beyond is a gap and rolls the whole event back.
 * @throws {@link StreamGapError} on a gap; whatever a read model's `apply` throws (a `PermanentError` for an event that can never apply).
 */
export async function applyEvent(options: {
  pool: pg.Pool;
  readModels: readonly ReadModel[];
  event: ProjectedEvent;
}): Promise<ApplyResult> {
  return withTransaction(options.pool, (client) =>
    applyEventInTransaction({ client, readModels: options.readModels, event: options.event }),
  );
}

/** {@link applyEvent} inside the caller's transaction, so a rebuild can apply a page of events per commit. */
export async function applyEventInTransaction(options: {
  client: pg.PoolClient;
  readModels: readonly ReadModel[];
  event: ProjectedEvent;
}): Promise<ApplyResult> {
  const { client, event } = options;
  const followers = options.readModels.filter((model) => followedAggregates(model).has(event.aggregate));
  if (followers.length === 0) return {};
  const names = followers.map((model) => model.name);
  // The row locks order two deliveries of one stream's events (a rebalance overlap): the second waits, then sees the first.
  const positions = await client.query<{ read_model: string; version: number }>(
    `SELECT read_model, version FROM read_model_positions
     WHERE stream_id = $1 AND read_model = ANY($2::text[]) FOR UPDATE`,
    [event.streamId, names],
  );
  const appliedVersions = new Map(positions.rows.map((row) => [row.read_model, row.version]));
  const result: ApplyResult = {};
  const advanced: string[] = [];
  for (const readModel of followers) {
    const appliedVersion = appliedVersions.get(readModel.name) ?? 0;
    if (event.streamVersion <= appliedVersion) {
      result[readModel.name] = 'duplicate';
      continue;
    }
    if (event.streamVersion > appliedVersion + 1) {
      throw new StreamGapError({
        readModel: readModel.name,
        streamId: event.streamId,
        appliedVersion,
        receivedVersion: event.streamVersion,
      });
    }
    if (readModel.handles(event.type)) await readModel.apply({ client, event });
    advanced.push(readModel.name);
    result[readModel.name] = 'applied';
  }
  if (advanced.length > 0) {
    // With no position row yet there is nothing to lock: a first event delivered twice at once fails
    // on the second's inserts (the rows' keys), and its retry is a replay.
    await client.query(
      `INSERT INTO read_model_positions (read_model, stream_id, tenant_id, version)
       SELECT read_model, $2, $3, $4 FROM unnest($1::text[]) AS advanced(read_model)
       ON CONFLICT (read_model, stream_id) DO UPDATE SET version = GREATEST(read_model_positions.version, EXCLUDED.version)`,
      [advanced, event.streamId, event.tenantId, event.streamVersion],
    );
  }
  return result;
}
