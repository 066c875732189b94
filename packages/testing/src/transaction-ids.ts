import type pg from 'pg';

/** The powers of ten whose crossing once made a text-sorted feed skip and repeat events. */
export const transactionIdDigitBoundaries = [1_000n, 10_000n, 100_000n] as const;

/**
 * Consumes transaction ids until the cluster's next one is above `target`, so rows stamped with a
 * lower id read as committed. Ids are cluster-wide and only grow, which is why tests cannot wait for
 * real writes to cross 1,000 or 10,000 again: they stamp chosen ids instead.
 */
export async function advanceTransactionIdsPast(pool: pg.Pool, target: bigint): Promise<void> {
  for (;;) {
    const current = await pool.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
    const missing = target - BigInt(current.rows[0]?.xid ?? '0');
    if (missing < 0n) return;
    // A DO block may commit between iterations, so one round trip consumes many ids.
    const step = Number(missing < 50_000n ? missing + 1n : 50_000n);
    await pool.query(`DO $$ BEGIN FOR i IN 1..${step} LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$`);
  }
}

/**
 * Re-stamps the `events` table in the pool's schema so its writing transactions, kept in their order,
 * get ids on both sides of 1,000, 10,000 and 100,000: a third of the transactions around each boundary.
 * Returns the ids handed out, in order (at most 1,800 around 1,000 and 16,000 around 10,000).
 */
export async function spreadTransactionIdsAcrossDigits(pool: pg.Pool): Promise<bigint[]> {
  const distinct = await pool.query<{ xid: string }>(
    'SELECT DISTINCT events.transaction_id::text AS xid, events.transaction_id FROM events ORDER BY events.transaction_id',
  );
  const originals = distinct.rows.map((row) => row.xid);
  const targets = idsAroundBoundaries(originals.length);
  await advanceTransactionIdsPast(pool, (targets.at(-1) ?? 0n) + 1_000n);
  await pool.query(
    `UPDATE events SET transaction_id = spread.target
     FROM unnest($1::xid8[], $2::xid8[]) AS spread(original, target)
     WHERE events.transaction_id = spread.original`,
    [originals, targets.map(String)],
  );
  return targets;
}

/** `count` increasing ids, split into three runs centred on the digit boundaries. */
export function idsAroundBoundaries(count: number): bigint[] {
  const first = Math.min(Math.floor(count / 3), 1_800);
  const second = Math.min(Math.floor((count - first) / 2), 16_000);
  const sizes = [first, second, count - first - second];
  return sizes.flatMap((size, group) => {
    const boundary = transactionIdDigitBoundaries[group] ?? 100_000n;
    const start = boundary - BigInt(Math.floor(size / 2));
    return Array.from({ length: size }, (_, index) => start + BigInt(index));
  });
}
