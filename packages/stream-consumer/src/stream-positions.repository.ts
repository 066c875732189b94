import type pg from 'pg';
import type { StreamPosition } from './sequence-batch.ts';

/**
 * The consumer's positions in `streamIds`, row-locked in stream order, so two deliveries of one
 * stream (a rebalance overlap) take turns and the second sees what the first applied.
 */
export async function lockPositions(
  client: pg.PoolClient,
  consumer: string,
  streamIds: readonly string[],
): Promise<Map<string, StreamPosition>> {
  const result = await client.query<{ stream_id: string; tenant_id: string; version: string }>(
    `SELECT stream_id, tenant_id, version FROM consumer_positions
     WHERE consumer = $1 AND stream_id = ANY($2::text[]) ORDER BY stream_id FOR UPDATE`,
    [consumer, [...new Set(streamIds)]],
  );
  return new Map(result.rows.map((row) => [row.stream_id, { version: Number(row.version), tenantId: row.tenant_id }]));
}

/**
 * Moves the consumer to `reached`. Streams it had no row for are inserted without `ON CONFLICT`: a
 * first event delivered twice at once then fails the second transaction, whose retry is a redelivery.
 */
export async function savePositions(
  client: pg.PoolClient,
  options: { consumer: string; known: ReadonlySet<string>; reached: ReadonlyMap<string, StreamPosition> },
): Promise<void> {
  const fresh = [...options.reached].filter(([streamId]) => !options.known.has(streamId));
  const moved = [...options.reached].filter(([streamId]) => options.known.has(streamId));
  if (fresh.length > 0) {
    await client.query(
      `INSERT INTO consumer_positions (consumer, stream_id, tenant_id, version)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[])`,
      [
        options.consumer,
        fresh.map(([streamId]) => streamId),
        fresh.map(([, position]) => position.tenantId),
        fresh.map(([, position]) => position.version),
      ],
    );
  }
  if (moved.length > 0) {
    await client.query(
      `UPDATE consumer_positions SET version = moved.version
       FROM unnest($2::text[], $3::bigint[]) AS moved(stream_id, version)
       WHERE consumer_positions.consumer = $1 AND consumer_positions.stream_id = moved.stream_id`,
      [options.consumer, moved.map(([streamId]) => streamId), moved.map(([, position]) => position.version)],
    );
  }
}
