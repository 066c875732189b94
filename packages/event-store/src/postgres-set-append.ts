import type pg from 'pg';
import { partialRetryError, satisfiesExpectedVersion, settleEmptyAppend } from './append-validation.ts';
import { ConcurrencyError, DuplicateEventIdError } from './event-store.port.ts';
import type { AppendResult, StreamAppend } from './event-store.port.ts';

type StoredRow = { stream_id: string; version: number | string; event_id: string | null };

type Write = { append: StreamAppend; firstVersion: number; newVersion: number };

/**
 * Appends to every stream of `appends` in three statements whatever their number: read the streams'
 * versions and which event ids are stored, settle each append (conflict, retry already stored, or
 * write), then write all stream rows and all events. Call it inside a transaction that already holds
 * the streams' advisory locks: nothing else can move these streams, so what the first read shows is final.
 * Any conflict throws, and the caller's rollback leaves every stream as it was.
 */
export async function appendSetBased(client: pg.PoolClient, appends: readonly StreamAppend[]): Promise<AppendResult[]> {
  const stored = await client.query<StoredRow>(
    `SELECT stream_id, version, NULL::text AS event_id FROM streams WHERE stream_id = ANY($1::text[])
     UNION ALL
     SELECT stream_id, stream_version, event_id::text FROM events WHERE event_id = ANY($2::uuid[])`,
    [appends.map((append) => append.streamId), appends.flatMap((append) => append.events.map((event) => event.id))],
  );
  const versions = new Map<string, number>();
  const streamOfEvent = new Map<string, string>();
  for (const row of stored.rows) {
    if (row.event_id === null) versions.set(row.stream_id, Number(row.version));
    else streamOfEvent.set(row.event_id, row.stream_id);
  }

  const writes: Write[] = [];
  const results = appends.map((append): AppendResult => {
    const current = versions.get(append.streamId) ?? 'no_stream';
    const settled = settleWithoutWriting(append, current, streamOfEvent);
    if (settled) return settled;
    const base = current === 'no_stream' ? 0 : current;
    const newVersion = base + append.events.length;
    writes.push({ append, firstVersion: base + 1, newVersion });
    return { nextExpectedVersion: newVersion, appended: append.events.length };
  });
  if (writes.length > 0) await writeAll(client, writes);
  return results;
}

/** The result of an append that writes nothing (empty, or a retry already stored), or throws its conflict. */
function settleWithoutWriting(
  append: StreamAppend,
  current: number | 'no_stream',
  streamOfEvent: ReadonlyMap<string, string>,
): AppendResult | undefined {
  const { streamId, events, expectedVersion } = append;
  if (events.length === 0) return settleEmptyAppend(append, current);
  const inStream: string[] = [];
  for (const event of events) {
    const owner = streamOfEvent.get(event.id);
    if (owner === undefined) continue;
    if (owner !== streamId) {
      throw new DuplicateEventIdError(streamId, [event.id], `it is an event of stream ${owner}`);
    }
    inStream.push(event.id);
  }
  // Every id already in the stream: a retry of an append that committed, whatever the version says now.
  if (inStream.length === events.length) return { nextExpectedVersion: Number(current), appended: 0 };
  if (inStream.length > 0) throw partialRetryError(streamId, inStream, events.length);
  if (!satisfiesExpectedVersion(expectedVersion, current))
    throw new ConcurrencyError(streamId, expectedVersion, current);
  return undefined;
}

async function writeAll(client: pg.PoolClient, writes: readonly Write[]): Promise<void> {
  await client.query(
    `INSERT INTO streams (stream_id, version) SELECT * FROM unnest($1::text[], $2::bigint[])
     ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version`,
    [writes.map((write) => write.append.streamId), writes.map((write) => write.newVersion)],
  );
  const events = writes.flatMap((write) =>
    write.append.events.map((event, offset) => ({
      streamId: write.append.streamId,
      version: write.firstVersion + offset,
      event,
    })),
  );
  const inserted = await client.query<{ event_id: string }>(
    `INSERT INTO events (stream_id, stream_version, event_id, type, schema_version, data, metadata)
     SELECT e.stream_id, e.stream_version, e.event_id, e.type, e.schema_version, e.data::jsonb, e.metadata::jsonb
     FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::int[], $6::text[], $7::text[])
       WITH ORDINALITY AS e(stream_id, stream_version, event_id, type, schema_version, data, metadata, n)
     ORDER BY e.n
     ON CONFLICT (event_id) DO NOTHING
     RETURNING event_id::text AS event_id`,
    [
      events.map((row) => row.streamId),
      events.map((row) => row.version),
      events.map((row) => row.event.id),
      events.map((row) => row.event.type),
      events.map((row) => row.event.schemaVersion ?? 1),
      events.map((row) => JSON.stringify(row.event.data)),
      events.map((row) => JSON.stringify(row.event.metadata)),
    ],
  );
  if (inserted.rowCount === events.length) return;
  // Another transaction stored one of these ids, in a stream we do not lock, after our read.
  const written = new Set(inserted.rows.map((row) => row.event_id));
  const missing = events.find((row) => !written.has(row.event.id));
  const owner = await client.query<{ stream_id: string }>('SELECT stream_id FROM events WHERE event_id = $1', [
    missing?.event.id,
  ]);
  throw new DuplicateEventIdError(
    missing?.streamId ?? '',
    missing ? [missing.event.id] : [],
    `it is an event of stream ${owner.rows[0]?.stream_id ?? 'another transaction'}`,
  );
}
