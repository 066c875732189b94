import type pg from 'pg';
import { START } from './event-store.port.ts';
import type { FeedCursor } from './event-store.port.ts';
import { decodeTransactionCursor } from './feed-cursor.ts';

/** A pool, or a client inside the caller's transaction (to save the cursor with other writes). */
export type Queryable = pg.Pool | pg.PoolClient | pg.Client;

/** How the feed was ordered when a cursor was saved; older cursors (NULL) came from a text sort. */
const currentFeedOrder = 'xid8';

/**
 * The cursor a feed consumer saved under `name` in the event store's `checkpoints` table, or
 * `START` when it never saved one. The pool must resolve names in the event store's schema.
 */
export async function loadCheckpoint(db: Queryable, name: string): Promise<FeedCursor> {
  const result = await db.query<{ cursor: string }>('SELECT cursor FROM checkpoints WHERE name = $1', [name]);
  return result.rows[0]?.cursor ?? START;
}

/**
 * Saves `cursor` as the position of the feed consumer `name`. Save only after everything up to the
 * cursor was handled downstream: delivery is at-least-once from the saved cursor.
 */
export async function saveCheckpoint(db: Queryable, name: string, cursor: FeedCursor): Promise<void> {
  await db.query(
    `INSERT INTO checkpoints (name, cursor, updated_at, feed_order) VALUES ($1, $2, now(), $3)
     ON CONFLICT (name) DO UPDATE
       SET cursor = EXCLUDED.cursor, updated_at = EXCLUDED.updated_at, feed_order = EXCLUDED.feed_order`,
    [name, cursor, currentFeedOrder],
  );
}

/**
 * Asks the feed consumer `name` to go back to `cursor` (re-delivering what follows it). The request
 * waits in `checkpoint_rewinds` until the consumer takes it with {@link takeCheckpointRewind}; a later
 * request replaces an earlier one not yet taken.
 */
export async function requestCheckpointRewind(db: Queryable, name: string, cursor: FeedCursor): Promise<void> {
  if (cursor !== START) decodeTransactionCursor(cursor);
  await db.query(
    `INSERT INTO checkpoint_rewinds (name, cursor) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET cursor = EXCLUDED.cursor, requested_at = now()`,
    [name, cursor],
  );
}

/** Removes and returns the pending rewind of the feed consumer `name`, if any. */
export async function takeCheckpointRewind(db: Queryable, name: string): Promise<FeedCursor | undefined> {
  const result = await db.query<{ cursor: string }>('DELETE FROM checkpoint_rewinds WHERE name = $1 RETURNING cursor', [
    name,
  ]);
  return result.rows[0]?.cursor;
}

/** What {@link checkLegacyCheckpoint} found about a cursor saved before the feed sorted as xid8. */
export type LegacyCheckpointCheck =
  | { verdict: 'current' | 'no-checkpoint' }
  | { verdict: 'safe'; cursor: FeedCursor }
  | { verdict: 'may-have-skipped'; cursor: FeedCursor; eventsBefore: number };

/**
 * Checks the cursor of feed consumer `name` when an older release saved it. That release sorted
 * transaction ids as text; a page then skipped events only where ids of different lengths met, and
 * every skipped event has fewer digits than the cursor's id (an id of the cursor's length sorts as text
 * the same as a number, so it came back in the page). So a cursor is safe when the store's first event
 * already has as many digits; otherwise any event before it may have been skipped.
 */
export async function checkLegacyCheckpoint(db: Queryable, name: string): Promise<LegacyCheckpointCheck> {
  const saved = await db.query<{ cursor: string; feed_order: string | null }>(
    'SELECT cursor, feed_order FROM checkpoints WHERE name = $1',
    [name],
  );
  const row = saved.rows[0];
  if (!row || row.cursor === START) return { verdict: 'no-checkpoint' };
  if (row.feed_order === currentFeedOrder) return { verdict: 'current' };
  const cursor = decodeTransactionCursor(row.cursor);
  const first = await db.query<{ xid: string }>(
    'SELECT events.transaction_id::text AS xid FROM events ORDER BY events.transaction_id LIMIT 1',
  );
  const firstDigits = first.rows[0]?.xid.length ?? Infinity;
  if (firstDigits >= String(cursor.transactionId).length) return { verdict: 'safe', cursor: row.cursor };
  const before = await db.query<{ count: string }>(
    'SELECT count(*) AS count FROM events WHERE (events.transaction_id, events.global_position) <= ($1::xid8, $2::bigint)',
    [String(cursor.transactionId), String(cursor.position)],
  );
  return { verdict: 'may-have-skipped', cursor: row.cursor, eventsBefore: Number(before.rows[0]?.count ?? 0) };
}
