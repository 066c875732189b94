import { emptyModel } from '../model/index.ts';
import type { NaiveBayesModel } from '../model/index.ts';
import { toVersionedRuleSet } from '../rule-sets/rule-set.repository.ts';
import type { RuleSetRow, VersionedRuleSet } from '../rule-sets/rule-set.repository.ts';
import type { Queryable } from '../scoring-leads/scoring-lead.repository.ts';

/** What a tenant's leads are scored with: its current rule set and its predictive model. */
export type TenantScoring = { ruleSet: VersionedRuleSet; model: NaiveBayesModel };

export async function loadTenantScoring(db: Queryable, tenantId: string): Promise<TenantScoring> {
  return (await loadTenantScorings(db, [tenantId])).get(tenantId) as TenantScoring;
}

/**
 * Each tenant's scoring (its newest rule set, else the default one, and its model, else an empty one),
 * in one query whatever their number: a batch is scored as of one moment.
 */
export async function loadTenantScorings(
  db: Queryable,
  tenantIds: readonly string[],
): Promise<Map<string, TenantScoring>> {
  const result = await db.query<
    { tenant_id: string; model: NaiveBayesModel | null } & { [Key in keyof RuleSetRow]: RuleSetRow[Key] | null }
  >(
    `SELECT t.tenant_id, r.version, r.rule_set, r.created_at, m.model
     FROM unnest($1::text[]) AS t(tenant_id)
     LEFT JOIN LATERAL (
       SELECT version, rule_set, created_at FROM scoring_rule_sets WHERE tenant_id = t.tenant_id
       ORDER BY version DESC LIMIT 1
     ) r ON true
     LEFT JOIN scoring_models m ON m.tenant_id = t.tenant_id`,
    [[...new Set(tenantIds)]],
  );
  return new Map(
    result.rows.map((row) => {
      const { version, rule_set: ruleSet, created_at: createdAt } = row;
      const stored =
        version === null || createdAt === null ? undefined : { version, rule_set: ruleSet, created_at: createdAt };
      return [row.tenant_id, { ruleSet: toVersionedRuleSet(stored), model: row.model ?? emptyModel() }];
    }),
  );
}
