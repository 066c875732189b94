import type { NaiveBayesModel } from '../model/index.ts';
import { loadModel } from '../outcomes/predictive-model.repository.ts';
import { currentRuleSet } from '../rule-sets/rule-set.repository.ts';
import type { VersionedRuleSet } from '../rule-sets/rule-set.repository.ts';
import type { Queryable } from '../scoring-leads/scoring-lead.repository.ts';

/** What a tenant's leads are scored with: its current rule set and its predictive model. */
export type TenantScoring = { ruleSet: VersionedRuleSet; model: NaiveBayesModel };

export async function loadTenantScoring(db: Queryable, tenantId: string): Promise<TenantScoring> {
  const [ruleSet, model] = await Promise.all([currentRuleSet(db, tenantId), loadModel(db, tenantId)]);
  return { ruleSet, model };
}
