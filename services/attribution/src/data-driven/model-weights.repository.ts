import type { Db } from '../db.ts';
import type { ChannelWeight, DataDrivenModel } from '../models/index.ts';
import type { LearnedWeights } from './learned-weights.ts';

/** The weights each data-driven model last learned for the tenant. */
export async function loadLearnedWeights(db: Db, tenantId: string): Promise<Map<DataDrivenModel, LearnedWeights>> {
  const result = await db.query<{
    model: DataDrivenModel;
    weights: ChannelWeight[];
    computed_at: Date;
    journeys: number;
  }>('SELECT model, weights, computed_at, journeys FROM attribution_model_weights WHERE tenant_id = $1', [tenantId]);
  return new Map(
    result.rows.map((row) => [
      row.model,
      { model: row.model, weights: row.weights, computedAt: row.computed_at.toISOString(), journeys: row.journeys },
    ]),
  );
}

export async function saveLearnedWeights(
  db: Db,
  options: { tenantId: string; learned: LearnedWeights },
): Promise<void> {
  const { tenantId, learned } = options;
  await db.query(
    `INSERT INTO attribution_model_weights (tenant_id, model, weights, computed_at, journeys)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tenant_id, model) DO UPDATE
       SET weights = EXCLUDED.weights, computed_at = EXCLUDED.computed_at, journeys = EXCLUDED.journeys`,
    [tenantId, learned.model, JSON.stringify(learned.weights), learned.computedAt, learned.journeys],
  );
}
