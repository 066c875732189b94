import type pg from 'pg';
import type { Db } from '../db.ts';
import { defaultPipelineSettings, pipelineSettingsSchema } from './pipeline-settings.schema.ts';
import type { PipelineSettings } from './pipeline-settings.schema.ts';

/** A tenant's pipelines and lost reasons, read fresh on every call so a change applies at once on every replica. */
export type PipelineSettingsRepository = {
  get(tenantId: string): Promise<PipelineSettings>;
  /**
   * The settings of each tenant, in one query; on `db` when given (a consumer's transaction, so a batch
   * holding its connection needs no second one), else on the pool.
   */
  getMany(tenantIds: readonly string[], db?: Db): Promise<Map<string, PipelineSettings>>;
  put(options: { tenantId: string; settings: PipelineSettings; now: Date }): Promise<PipelineSettings>;
};

/** Settings in `pipeline_settings`; a tenant without a row has {@link defaultPipelineSettings}. */
export function createPipelineSettingsRepository(options: { pool: pg.Pool }): PipelineSettingsRepository {
  const { pool } = options;
  const getMany: PipelineSettingsRepository['getMany'] = async (tenantIds, db = pool) => {
    const tenants = [...new Set(tenantIds)];
    const result = await db.query<{ tenant_id: string; settings: unknown }>(
      'SELECT tenant_id, settings FROM pipeline_settings WHERE tenant_id = ANY($1::text[])',
      [tenants],
    );
    const saved = new Map(result.rows.map((row) => [row.tenant_id, row.settings]));
    // Parsed again on read: a row written by an older build still yields valid settings or fails loudly.
    return new Map(
      tenants.map((tenantId) => {
        const settings = saved.get(tenantId);
        return [tenantId, settings === undefined ? defaultPipelineSettings() : pipelineSettingsSchema.parse(settings)];
      }),
    );
  };
  return {
    async get(tenantId) {
      return (await getMany([tenantId])).get(tenantId) ?? defaultPipelineSettings();
    },
    getMany,
    async put({ tenantId, settings, now }) {
      await pool.query(
        `INSERT INTO pipeline_settings (tenant_id, settings, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id) DO UPDATE SET settings = EXCLUDED.settings, updated_at = EXCLUDED.updated_at`,
        [tenantId, JSON.stringify(settings), now],
      );
      return settings;
    },
  };
}
