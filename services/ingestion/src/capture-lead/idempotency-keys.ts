import { createHash } from 'node:crypto';
import type pg from 'pg';

/** How long a stored response is replayed; a key older than this is forgotten and can be reused. */
const idempotencyKeyTtlMs = 24 * 60 * 60 * 1000;

// A request that holds its key this long without finishing died with its process; a retry takes over.
const abandonedAfterMs = 60 * 1000;

/** What to do with a request that carries an Idempotency-Key. */
export type IdempotencyClaim =
  | { outcome: 'proceed' }
  | { outcome: 'replay'; status: number; body: unknown }
  | { outcome: 'in_progress' }
  | { outcome: 'mismatch' };

type KeyRow = {
  request_hash: string;
  status: 'in_progress' | 'completed';
  response_status: number | null;
  response_body: unknown;
  created_at: Date;
};

/** A stable hash of a request body: the same lead sent with keys in another order hashes the same. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/**
 * Claims `key` for this request: `proceed` when it is new (or expired, or abandoned by a crashed
 * request), `replay` with the stored response when the same body completed before, `mismatch` when
 * the key was used for another body, `in_progress` while the first request still runs.
 */
export async function claimIdempotencyKey(options: {
  pool: pg.Pool;
  tenantId: string;
  key: string;
  hash: string;
  now: Date;
}): Promise<IdempotencyClaim> {
  const { pool, tenantId, key, hash, now } = options;
  const inserted = await pool.query(
    `INSERT INTO idempotency_keys (tenant_id, key, request_hash, status, created_at)
     VALUES ($1, $2, $3, 'in_progress', $4) ON CONFLICT DO NOTHING`,
    [tenantId, key, hash, now],
  );
  if (inserted.rowCount === 1) return { outcome: 'proceed' };

  const result = await pool.query<KeyRow>(
    `SELECT request_hash, status, response_status, response_body, created_at
     FROM idempotency_keys WHERE tenant_id = $1 AND key = $2`,
    [tenantId, key],
  );
  const row = result.rows[0];
  const expired = row !== undefined && now.getTime() - row.created_at.getTime() >= idempotencyKeyTtlMs;
  const abandoned =
    row?.status === 'in_progress' &&
    row.request_hash === hash &&
    now.getTime() - row.created_at.getTime() >= abandonedAfterMs;
  if (row === undefined || expired || abandoned) {
    // Only one retry takes the key over: the update succeeds for the first that still sees the old row.
    const taken = await pool.query(
      `INSERT INTO idempotency_keys (tenant_id, key, request_hash, status, created_at)
       VALUES ($1, $2, $3, 'in_progress', $4)
       ON CONFLICT (tenant_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, status = 'in_progress', created_at = EXCLUDED.created_at,
             response_status = NULL, response_body = NULL, completed_at = NULL
         WHERE idempotency_keys.created_at = $5`,
      [tenantId, key, hash, now, row?.created_at ?? now],
    );
    return taken.rowCount === 1 ? { outcome: 'proceed' } : { outcome: 'in_progress' };
  }
  if (row.request_hash !== hash) return { outcome: 'mismatch' };
  if (row.status === 'in_progress') return { outcome: 'in_progress' };
  return { outcome: 'replay', status: row.response_status ?? 200, body: row.response_body };
}

/** Stores the response to replay for the key's retries. */
export async function completeIdempotencyKey(options: {
  pool: pg.Pool;
  tenantId: string;
  key: string;
  status: number;
  body: unknown;
  now: Date;
}): Promise<void> {
  await options.pool.query(
    `UPDATE idempotency_keys SET status = 'completed', response_status = $3, response_body = $4, completed_at = $5
     WHERE tenant_id = $1 AND key = $2`,
    [options.tenantId, options.key, options.status, JSON.stringify(options.body), options.now],
  );
}

/** Frees the key of a request that failed without an answer worth replaying (an infrastructure error). */
export async function releaseIdempotencyKey(options: { pool: pg.Pool; tenantId: string; key: string }): Promise<void> {
  await options.pool.query(
    `DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key = $2 AND status = 'in_progress'`,
    [options.tenantId, options.key],
  );
}

/** Deletes keys past their 24 hours; returns how many. */
export async function purgeExpiredIdempotencyKeys(options: { pool: pg.Pool; now: Date }): Promise<number> {
  const result = await options.pool.query('DELETE FROM idempotency_keys WHERE created_at <= $1', [
    new Date(options.now.getTime() - idempotencyKeyTtlMs),
  ]);
  return result.rowCount ?? 0;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
