import type pg from 'pg';
import type { Db } from '../db.ts';
import { attributionConfigSchema, defaultAttributionConfig } from '../models/index.ts';
import type { AttributionConfig } from '../models/index.ts';

/** Reads a tenant's attribution settings. */
export type AttributionSettingsSource = {
  /** On `db` when given (a consumer's transaction, so a batch holding its connection needs no second one), else on the pool. */
  get(tenantId: string, db?: Db): Promise<AttributionConfig>;
};

export type AttributionSettingsRepository = AttributionSettingsSource & {
  put(options: { tenantId: string; config: AttributionConfig; now: Date }): Promise<AttributionConfig>;
};

/**
 * Settings in `attribution_settings`, stored whole as validated. Read through the schema again, so a group
 * added to it later gets its default for tenants that saved before.
 */
export function createAttributionSettingsRepository(options: { pool: pg.Pool }): AttributionSettingsRepository {
  const { pool } = options;
  return {
    async get(tenantId, db = pool) {
      const result = await db.query<{ config: unknown }>(
        'SELECT config FROM attribution_settings WHERE tenant_id = $1',
        [tenantId],
      );
      const row = result.rows[0];
      return row === undefined ? defaultAttributionConfig() : attributionConfigSchema.parse(row.config);
    },
    async put({ tenantId, config, now }) {
      const saved = attributionConfigSchema.parse(config);
      await pool.query(
        `INSERT INTO attribution_settings (tenant_id, config, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id) DO UPDATE SET config = EXCLUDED.config, updated_at = EXCLUDED.updated_at`,
        [tenantId, JSON.stringify(saved), now],
      );
      return saved;
    },
  };
}
