import type pg from 'pg';
import { withTransaction } from '@l2o/pg';
import { emptyModel, featuresOf, learn } from '../model/index.ts';
import type { FieldPath, NaiveBayesModel } from '../model/index.ts';
import { currentRuleSet } from '../rule-sets/rule-set.repository.ts';
import { takeAllOutcomes, takeLearnableOutcomes, tenantsWithLearnableOutcomes } from './outcomes.repository.ts';
import type { OutcomeExample } from './outcomes.repository.ts';
import { lockModel, saveModel } from './predictive-model.repository.ts';

/** The model after learning `examples` with `features`; an example whose lead scoring never saw teaches nothing. */
export function learnExamples(options: {
  model: NaiveBayesModel;
  examples: readonly OutcomeExample[];
  features: readonly FieldPath[];
}): NaiveBayesModel {
  return options.examples.reduce(
    (model, example) =>
      example.lead === undefined
        ? model
        : learn(model, { features: featuresOf(example.lead, options.features), outcome: example.outcome }),
    options.model,
  );
}

async function predictiveFeatures(client: pg.PoolClient, tenantId: string): Promise<readonly FieldPath[]> {
  return (await currentRuleSet(client, tenantId)).ruleSet.predictive.features;
}

/**
 * The tenant's model learnt again from every recorded outcome, with the features of the current rule
 * set, inside the caller's transaction. Naive Bayes cannot unlearn one example, so a reopened
 * opportunity or a change of features rebuilds the whole model; it is a count per feature value.
 */
export async function rebuildModel(
  client: pg.PoolClient,
  options: { tenantId: string; now: Date; features?: readonly FieldPath[] },
): Promise<NaiveBayesModel> {
  const { tenantId, now } = options;
  await lockModel(client, { tenantId, now });
  const features = options.features ?? (await predictiveFeatures(client, tenantId));
  const examples = await takeAllOutcomes(client, tenantId);
  const model = learnExamples({ model: emptyModel(), examples, features });
  await saveModel(client, { tenantId, model, now });
  return model;
}

/**
 * Learns the outcomes that closed before scoring saw their lead (which happens when both topics are
 * replayed from the start), for up to `maxTenants` tenants; returns how many it learnt.
 */
export async function learnPendingOutcomes(options: {
  pool: pg.Pool;
  now: Date;
  maxTenants?: number;
}): Promise<number> {
  const { pool, now } = options;
  const tenants = await tenantsWithLearnableOutcomes(pool, { limit: options.maxTenants ?? 20 });
  let learnt = 0;
  for (const tenantId of tenants) {
    learnt += await withTransaction(pool, async (client) => {
      const model = await lockModel(client, { tenantId, now });
      const examples = await takeLearnableOutcomes(client, tenantId);
      const features = await predictiveFeatures(client, tenantId);
      await saveModel(client, { tenantId, model: learnExamples({ model, examples, features }), now });
      return examples.length;
    });
  }
  return learnt;
}
