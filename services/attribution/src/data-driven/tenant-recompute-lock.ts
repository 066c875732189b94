import type pg from 'pg';

/**
 * Runs `work` holding the tenant's recalculation lock, a session advisory lock (named after the schema, so
 * environments sharing a database do not block each other): one replica recalculates a tenant at a time.
 * With `wait: false` it returns undefined at once when another holds the lock. The connection holding the
 * lock stays idle, outside any transaction, so it holds back neither vacuum nor the event store's feed.
 */
export async function withTenantRecomputeLock<T>(
  pool: pg.Pool,
  options: { tenantId: string; wait: boolean },
  work: () => Promise<T>,
): Promise<T | undefined> {
  const key = `hashtextextended('l2o.attribution.recompute:' || current_schema() || ':' || $1, 0)`;
  const client = await pool.connect();
  let locked = false;
  try {
    if (options.wait) {
      await client.query(`SELECT pg_advisory_lock(${key})`, [options.tenantId]);
      locked = true;
    } else {
      const result = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${key}) AS locked`, [
        options.tenantId,
      ]);
      locked = result.rows[0]?.locked === true;
      if (!locked) return undefined;
    }
    return await work();
  } finally {
    if (locked) {
      // A failed unlock leaves the lock on the session, so the connection is thrown away rather than reused.
      const unlocked = await client.query(`SELECT pg_advisory_unlock(${key})`, [options.tenantId]).then(
        () => true,
        () => false,
      );
      client.release(!unlocked);
    } else {
      client.release();
    }
  }
}
