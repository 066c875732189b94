import type pg from 'pg';
import type { StreamPosition } from '@l2o/stream-consumer';

/** Positions by read model name, then by stream id. */
export type ReadModelPositions = Map<string, Map<string, StreamPosition>>;

/**
 * Another transaction moved positions this one read (a rebalance delivering a partition twice, or the
 * consumer beside a rebuild). It carries PostgreSQL's serialization-failure code, so the bus and the
 * rebuild retry it as transient; the retry finds the events applied.
 */
export class ReadModelPositionsMovedError extends Error {
  readonly code = '40001';

  constructor(options: { expected: number; moved: number }) {
    super(
      `read model positions moved by another transaction: ${options.expected - options.moved} of ` +
        `${options.expected} were no longer where this batch read them; retry the batch`,
    );
    this.name = 'ReadModelPositionsMovedError';
  }
}

/**
 * The positions of `readModels` in `streamIds` as committed now: without a lock by default, since
 * {@link moveReadModelPositions} checks them as it moves them; with `lock`, row-locked in key order, which
 * waits for a transaction moving them to end.
 */
export async function readReadModelPositions(
  client: pg.PoolClient,
  options: { readModels: readonly string[]; streamIds: readonly string[]; lock?: boolean },
): Promise<ReadModelPositions> {
  const result = await client.query<{ read_model: string; stream_id: string; tenant_id: string; version: number }>(
    `SELECT read_model, stream_id, tenant_id, version FROM read_model_positions
     WHERE read_model = ANY($1::text[]) AND stream_id = ANY(ARRAY(SELECT json_array_elements_text($2::json)))
     ${options.lock === true ? 'ORDER BY read_model, stream_id FOR UPDATE' : ''}`,
    // Thousands of stream ids travel as one JSON text: much cheaper to write than an array literal.
    [options.readModels, JSON.stringify(options.streamIds)],
  );
  const positions: ReadModelPositions = new Map(options.readModels.map((name) => [name, new Map()]));
  for (const row of result.rows) {
    positions.get(row.read_model)?.set(row.stream_id, { version: row.version, tenantId: row.tenant_id });
  }
  return positions;
}

/**
 * Moves each read model from the positions it was `known` at to those it `reached`, only where they are
 * still as read. The write takes the rows' locks, so a concurrent delivery of the same streams waits,
 * then finds them moved. Streams without a row are inserted without `ON CONFLICT`: a first event
 * delivered twice at once fails the second transaction on the key, and its retry finds it applied.
 * @throws ReadModelPositionsMovedError when another transaction moved any of them since they were read.
 */
export async function moveReadModelPositions(
  client: pg.PoolClient,
  options: { known: ReadModelPositions; reached: ReadModelPositions },
): Promise<void> {
  const fresh: Row[] = [];
  const moved: Array<Row & { from: number }> = [];
  for (const [readModel, streams] of options.reached) {
    const known = options.known.get(readModel);
    for (const [streamId, position] of streams) {
      const from = known?.get(streamId)?.version;
      if (from === undefined) fresh.push({ readModel, streamId, ...position });
      else moved.push({ readModel, streamId, ...position, from });
    }
  }
  if (fresh.length > 0) {
    await client.query(
      `INSERT INTO read_model_positions (read_model, stream_id, tenant_id, version)
       SELECT p->>0, p->>1, p->>2, (p->>3)::int FROM json_array_elements($1::json) AS p`,
      [JSON.stringify(fresh.map((row) => [row.readModel, row.streamId, row.tenantId, row.version]))],
    );
  }
  if (moved.length > 0) {
    const result = await client.query(
      `UPDATE read_model_positions p SET version = (m->>2)::int
       FROM json_array_elements($1::json) AS m
       WHERE p.read_model = m->>0 AND p.stream_id = m->>1 AND p.version = (m->>3)::int`,
      [JSON.stringify(moved.map((row) => [row.readModel, row.streamId, row.version, row.from]))],
    );
    if (result.rowCount !== moved.length) {
      throw new ReadModelPositionsMovedError({ expected: moved.length, moved: result.rowCount ?? 0 });
    }
  }
}

type Row = { readModel: string; streamId: string; tenantId: string; version: number };
