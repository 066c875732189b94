import type pg from 'pg';
import { defaultMatchRules } from '../normalize/index.ts';
import type { MatchRule } from '../normalize/index.ts';

/** How ingestion treats one tenant's leads. */
export type IngestionSettings = {
  /** ISO 3166-1 alpha-2; phone numbers without a +country code are read in it. */
  defaultCountry?: string;
  /** The identity rules a capture is matched by, strongest first; none means every capture is a new lead. */
  matchRules: MatchRule[];
};

/** Reads a tenant's settings; the capturer's view of them. */
export type IngestionSettingsSource = {
  get(tenantId: string): Promise<IngestionSettings>;
};

export type IngestionSettingsRepository = IngestionSettingsSource & {
  put(options: { tenantId: string; settings: IngestionSettings; now: Date }): Promise<IngestionSettings>;
};

type SettingsRow = { default_country: string | null; match_rules: string[] };

const defaultTtlMs = 5_000;

/** The settings of a tenant that never saved any. */
function defaultIngestionSettings(): IngestionSettings {
  return { matchRules: [...defaultMatchRules] };
}

/**
 * Settings in `tenant_ingestion_settings`, cached per tenant for `ttlMs` (every capture reads them).
 * A `put` is seen at once by this process and within `ttlMs` by the other replicas.
 */
export function createIngestionSettingsRepository(options: {
  pool: pg.Pool;
  ttlMs?: number;
}): IngestionSettingsRepository {
  const { pool } = options;
  const ttlMs = options.ttlMs ?? defaultTtlMs;
  const cache = new Map<string, { settings: Promise<IngestionSettings>; expiresAt: number }>();

  async function load(tenantId: string): Promise<IngestionSettings> {
    const result = await pool.query<SettingsRow>(
      'SELECT default_country, match_rules FROM tenant_ingestion_settings WHERE tenant_id = $1',
      [tenantId],
    );
    const row = result.rows[0];
    return row === undefined ? defaultIngestionSettings() : fromRow(row);
  }

  return {
    get(tenantId) {
      const now = performance.now();
      const cached = cache.get(tenantId);
      if (cached !== undefined && cached.expiresAt > now) return cached.settings;
      const settings = load(tenantId);
      cache.set(tenantId, { settings, expiresAt: now + ttlMs });
      // A failed read is not cached, so the next capture tries again.
      settings.catch(() => cache.delete(tenantId));
      return settings;
    },
    async put({ tenantId, settings, now }) {
      const result = await pool.query<SettingsRow>(
        `INSERT INTO tenant_ingestion_settings (tenant_id, default_country, match_rules, updated_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id) DO UPDATE
           SET default_country = EXCLUDED.default_country, match_rules = EXCLUDED.match_rules,
               updated_at = EXCLUDED.updated_at
         RETURNING default_country, match_rules`,
        [tenantId, settings.defaultCountry ?? null, settings.matchRules, now],
      );
      const saved = fromRow(result.rows[0] as SettingsRow);
      cache.set(tenantId, { settings: Promise.resolve(saved), expiresAt: performance.now() + ttlMs });
      return saved;
    },
  };
}

function fromRow(row: SettingsRow): IngestionSettings {
  return {
    ...(row.default_country === null ? {} : { defaultCountry: row.default_country }),
    matchRules: row.match_rules as MatchRule[],
  };
}
