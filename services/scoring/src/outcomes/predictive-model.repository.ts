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
  await client.query(
    `INSERT INTO scoring_models (tenant_id, model, outcomes, updated_at) VALUES ($1, $2, 0, $3)
     ON CONFLICT (tenant_id) DO NOTHING`,
    [options.tenantId, JSON.stringify(emptyModel()), options.now],
  );
  const result = await client.query<{ model: NaiveBayesModel }>(
    'SELECT model FROM scoring_models WHERE tenant_id = $1 FOR UPDATE',
    [options.tenantId],
  );
  return (result.rows[0] as { model: NaiveBayesModel }).model;
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
