import type pg from 'pg';
import type { StreamPosition } from '@l2o/stream-consumer';

/** Positions by read model name, then by stream id. */
export type ReadModelPositions = Map<string, Map<string, StreamPosition>>;

/**
 * The positions of `readModels` in `streamIds`, row-locked in key order, so two deliveries of one stream
 * (a rebalance overlap, or the consumer beside a rebuild) take turns and the second sees what the first applied.
 */
export async function lockReadModelPositions(
  client: pg.PoolClient,
  options: { readModels: readonly string[]; streamIds: readonly string[] },
): Promise<ReadModelPositions> {
  const result = await client.query<{ read_model: string; stream_id: string; tenant_id: string; version: number }>(
    `SELECT read_model, stream_id, tenant_id, version FROM read_model_positions
     WHERE read_model = ANY($1::text[]) AND stream_id = ANY($2::text[])
     ORDER BY read_model, stream_id FOR UPDATE`,
    [options.readModels, options.streamIds],
  );
  const positions: ReadModelPositions = new Map(options.readModels.map((name) => [name, new Map()]));
  for (const row of result.rows) {
    positions.get(row.read_model)?.set(row.stream_id, { version: row.version, tenantId: row.tenant_id });
  }
  return positions;
}

/**
 * Moves each read model to the positions it `reached`. Streams it had no row for are inserted without
 * `ON CONFLICT`: a first event delivered twice at once then fails the second transaction, whose retry
 * finds it applied.
 */
export async function saveReadModelPositions(
  client: pg.PoolClient,
  options: { known: ReadModelPositions; reached: ReadModelPositions },
): Promise<void> {
  const fresh: Row[] = [];
  const moved: Row[] = [];
  for (const [readModel, streams] of options.reached) {
    const known = options.known.get(readModel);
    for (const [streamId, position] of streams) {
      (known?.has(streamId) ? moved : fresh).push({ readModel, streamId, ...position });
    }
  }
  if (fresh.length > 0) {
    await client.query(
      `INSERT INTO read_model_positions (read_model, stream_id, tenant_id, version)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[])`,
      columns(fresh),
    );
  }
  if (moved.length > 0) {
    await client.query(
      `UPDATE read_model_positions p SET version = moved.version
       FROM unnest($1::text[], $2::text[], $3::int[]) AS moved(read_model, stream_id, version)
       WHERE p.read_model = moved.read_model AND p.stream_id = moved.stream_id`,
      [moved.map((row) => row.readModel), moved.map((row) => row.streamId), moved.map((row) => row.version)],
    );
  }
}

type Row = { readModel: string; streamId: string; tenantId: string; version: number };

function columns(rows: readonly Row[]): [string[], string[], string[], number[]] {
  return [
    rows.map((row) => row.readModel),
    rows.map((row) => row.streamId),
    rows.map((row) => row.tenantId),
    rows.map((row) => row.version),
  ];
}
