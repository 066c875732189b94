import type { NaiveBayesModel } from '../model/index.ts';
import { loadModels } from '../outcomes/predictive-model.repository.ts';
import { currentRuleSets } from '../rule-sets/rule-set.repository.ts';
import type { VersionedRuleSet } from '../rule-sets/rule-set.repository.ts';
import type { Queryable } from '../scoring-leads/scoring-lead.repository.ts';

/** What a tenant's leads are scored with: its current rule set and its predictive model. */
export type TenantScoring = { ruleSet: VersionedRuleSet; model: NaiveBayesModel };

export async function loadTenantScoring(db: Queryable, tenantId: string): Promise<TenantScoring> {
  const scoring = (await loadTenantScorings(db, [tenantId])).get(tenantId);
  if (scoring === undefined) throw new Error(`unreachable: no scoring loaded for tenant ${tenantId}`);
  return scoring;
}

/** Each tenant's scoring, in two queries whatever their number: a batch is scored as of one moment. */
export async function loadTenantScorings(
  db: Queryable,
  tenantIds: readonly string[],
): Promise<Map<string, TenantScoring>> {
  const tenants = [...new Set(tenantIds)];
  // One after the other: `db` may be a transaction's client, which runs one query at a time anyway.
  const ruleSets = await currentRuleSets(db, tenants);
  const models = await loadModels(db, tenants);
  const scorings = new Map<string, TenantScoring>();
  for (const tenantId of tenants) {
    const ruleSet = ruleSets.get(tenantId);
    const model = models.get(tenantId);
    if (ruleSet !== undefined && model !== undefined) scorings.set(tenantId, { ruleSet, model });
  }
  return scorings;
}
