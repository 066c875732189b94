import type pg from 'pg';
import { START } from './event-store.port.ts';
import type { FeedCursor } from './event-store.port.ts';

/** A pool, or a client inside the caller's transaction (to save the cursor with other writes). */
export type Queryable = pg.Pool | pg.PoolClient | pg.Client;

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
    `INSERT INTO checkpoints (name, cursor, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (name) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = EXCLUDED.updated_at`,
    [name, cursor],
  );
}
