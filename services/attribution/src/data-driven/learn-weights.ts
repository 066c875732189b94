import type { Db } from '../db.ts';
import { dataDrivenWeights, isDataDriven } from '../models/index.ts';
import type { AttributionConfig, DataDrivenModel } from '../models/index.ts';
import { journeySet } from './journey-set.ts';
import { loadJourneySetInput } from './journey-set.repository.ts';
import type { LearnedWeights } from './learned-weights.ts';
import { loadLearnedWeights, saveLearnedWeights } from './model-weights.repository.ts';

/** Learns the channel weights of `models` from all the tenant's journeys, converting and not. Stores nothing. */
export async function learnWeights(options: {
  db: Db;
  tenantId: string;
  config: AttributionConfig;
  models: readonly DataDrivenModel[];
  now: Date;
}): Promise<LearnedWeights[]> {
  const { config, now } = options;
  if (options.models.length === 0) return [];
  const journeys = journeySet(await loadJourneySetInput(options.db, options.tenantId));
  return options.models.map((model) => ({
    model,
    weights: dataDrivenWeights({ model, journeys, config }),
    computedAt: now.toISOString(),
    journeys: journeys.length,
  }));
}

/**
 * The weights a win is attributed with: those last learned, and for an enabled data-driven model that has
 * none yet (the tenant's first win, or a model just enabled), weights learned and stored now, so the first
 * deal is credited by the model rather than split evenly.
 */
export async function currentLearnedWeights(options: {
  db: Db;
  tenantId: string;
  config: AttributionConfig;
  now: Date;
}): Promise<Map<DataDrivenModel, LearnedWeights>> {
  const { db, tenantId } = options;
  const stored = await loadLearnedWeights(db, tenantId);
  const missing = options.config.models.filter(isDataDriven).filter((model) => !stored.has(model));
  for (const learned of await learnWeights({ ...options, models: missing })) {
    await saveLearnedWeights(db, { tenantId, learned });
    stored.set(learned.model, learned);
  }
  return stored;
}
