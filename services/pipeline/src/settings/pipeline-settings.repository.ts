import type pg from 'pg';
import { defaultPipelineSettings, pipelineSettingsSchema } from './pipeline-settings.schema.ts';
import type { PipelineSettings } from './pipeline-settings.schema.ts';

/** A tenant's pipelines and lost reasons, read fresh on every call so a change applies at once on every replica. */
export type PipelineSettingsRepository = {
  get(tenantId: string): Promise<PipelineSettings>;
  put(options: { tenantId: string; settings: PipelineSettings; now: Date }): Promise<PipelineSettings>;
};

/** Settings in `pipeline_settings`; a tenant without a row has {@link defaultPipelineSettings}. */
export function createPipelineSettingsRepository(options: { pool: pg.Pool }): PipelineSettingsRepository {
  const { pool } = options;
  return {
    async get(tenantId) {
      const result = await pool.query<{ settings: unknown }>(
        'SELECT settings FROM pipeline_settings WHERE tenant_id = $1',
        [tenantId],
      );
      const row = result.rows[0];
      // Parsed again on read: a row written by an older build still yields valid settings or fails loudly.
      return row === undefined ? defaultPipelineSettings() : pipelineSettingsSchema.parse(row.settings);
    },
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
