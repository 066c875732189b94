import type { Db } from '../db.ts';

/** Puts a tenant on the recalculation schedule (once; its first lead does it). */
export async function registerTenantForRecompute(db: Db, tenantId: string): Promise<void> {
  await db.query('INSERT INTO attribution_recomputes (tenant_id) VALUES ($1) ON CONFLICT (tenant_id) DO NOTHING', [
    tenantId,
  ]);
}

/** Tenants whose weights were never learned, or last learned at or before `dueBefore`. */
export async function dueTenants(db: Db, dueBefore: Date): Promise<string[]> {
  const result = await db.query<{ tenant_id: string }>(
    `SELECT tenant_id FROM attribution_recomputes
     WHERE recomputed_at IS NULL OR recomputed_at <= $1 ORDER BY recomputed_at NULLS FIRST, tenant_id`,
    [dueBefore],
  );
  return result.rows.map((row) => row.tenant_id);
}

export async function lastRecomputedAt(db: Db, tenantId: string): Promise<Date | undefined> {
  const result = await db.query<{ recomputed_at: Date | null }>(
    'SELECT recomputed_at FROM attribution_recomputes WHERE tenant_id = $1',
    [tenantId],
  );
  return result.rows[0]?.recomputed_at ?? undefined;
}

export async function setRecomputedAt(db: Db, options: { tenantId: string; at: Date }): Promise<void> {
  await db.query(
    `INSERT INTO attribution_recomputes (tenant_id, recomputed_at) VALUES ($1, $2)
     ON CONFLICT (tenant_id) DO UPDATE SET recomputed_at = EXCLUDED.recomputed_at`,
    [options.tenantId, options.at],
  );
}
