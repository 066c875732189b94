import type { Db } from '../db.ts';

/** Puts tenants on the recalculation schedule (once each; a tenant's first lead does it). */
export async function registerTenantsForRecompute(db: Db, tenantIds: readonly string[]): Promise<void> {
  if (tenantIds.length === 0) return;
  await db.query(
    `INSERT INTO attribution_recomputes (tenant_id) SELECT DISTINCT unnest($1::text[]) ORDER BY 1
     ON CONFLICT (tenant_id) DO NOTHING`,
    [tenantIds],
  );
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
