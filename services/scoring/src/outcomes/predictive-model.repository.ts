import type pg from 'pg';
import { emptyModel } from '../model/index.ts';
import type { NaiveBayesModel } from '../model/index.ts';
import type { Queryable } from '../scoring-leads/scoring-lead.repository.ts';

/** The tenant's model; an empty one before its first closed outcome. */
export async function loadModel(db: Queryable, tenantId: string): Promise<NaiveBayesModel> {
  const result = await db.query<{ model: NaiveBayesModel }>('SELECT model FROM scoring_models WHERE tenant_id = $1', [
    tenantId,
  ]);
  return result.rows[0]?.model ?? emptyModel();
}

/** The tenant's model, locked until the transaction of `client` ends, so concurrent outcomes learn one after the other. */
export async function lockModel(
  client: pg.PoolClient,
  options: { tenantId: string; now: Date },
): Promise<NaiveBayesModel> {
  const models = await lockModels(client, { tenantIds: [options.tenantId], now: options.now });
  return models.get(options.tenantId) ?? emptyModel();
}

/** The tenants' models, created empty where missing and locked in tenant order (no deadlock), in two statements. */
export async function lockModels(
  client: pg.PoolClient,
  options: { tenantIds: readonly string[]; now: Date },
): Promise<Map<string, NaiveBayesModel>> {
  const tenantIds = [...new Set(options.tenantIds)].sort();
  if (tenantIds.length === 0) return new Map();
  await client.query(
    `INSERT INTO scoring_models (tenant_id, model, outcomes, updated_at)
     SELECT tenant_id, $2, 0, $3 FROM unnest($1::text[]) AS tenant_id ORDER BY tenant_id
     ON CONFLICT (tenant_id) DO NOTHING`,
    [tenantIds, JSON.stringify(emptyModel()), options.now],
  );
  const result = await client.query<{ tenant_id: string; model: NaiveBayesModel }>(
    'SELECT tenant_id, model FROM scoring_models WHERE tenant_id = ANY($1::text[]) ORDER BY tenant_id FOR UPDATE',
    [tenantIds],
  );
  return new Map(result.rows.map((row) => [row.tenant_id, row.model]));
}

/** Replaces the tenant's model (locked by {@link lockModel}). */
export async function saveModel(
  client: pg.PoolClient,
  options: { tenantId: string; model: NaiveBayesModel; now: Date },
): Promise<void> {
  const { tenantId, model, now } = options;
  await client.query('UPDATE scoring_models SET model = $2, outcomes = $3, updated_at = $4 WHERE tenant_id = $1', [
    tenantId,
    JSON.stringify(model),
    model.won + model.lost,
    now,
  ]);
}
