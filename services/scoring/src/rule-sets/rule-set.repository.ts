import type pg from 'pg';
import { maxSettingCount, maxWeight } from '@l2o/contracts';
import { defaultScoringRuleSet, scoringRuleSetSchema } from '../model/index.ts';
import type { ScoringRuleSet } from '../model/index.ts';
import type { Queryable } from '../scoring-leads/scoring-lead.repository.ts';

/** A tenant's rule set and the version scores name. */
export type VersionedRuleSet = { version: number; ruleSet: ScoringRuleSet; createdAt?: Date };

/** The version of the built-in rule set every tenant starts with. */
export const defaultRuleSetVersion = 1;

/** The default rule set at version 1, for a tenant that never saved one. */
export const defaultVersionedRuleSet: VersionedRuleSet = {
  version: defaultRuleSetVersion,
  ruleSet: defaultScoringRuleSet,
};

/** A rule set as `scoring_rule_sets` stores it. */
export type RuleSetRow = { version: number; rule_set: unknown; created_at: Date };

/** The rule set of a stored row, or the default one at version 1 when the tenant saved none. */
export function toVersionedRuleSet(row: RuleSetRow | undefined): VersionedRuleSet {
  if (row === undefined) return defaultVersionedRuleSet;
  // Parsed on read, so defaults added to the schema later apply to rule sets stored before.
  const ruleSet = scoringRuleSetSchema.parse(withinCurrentBounds(row.rule_set));
  return { version: row.version, ruleSet, createdAt: row.created_at };
}

/** The tenant's newest rule set, or the default one at version 1. */
export async function currentRuleSet(db: Queryable, tenantId: string): Promise<VersionedRuleSet> {
  return (await currentRuleSets(db, [tenantId])).get(tenantId) ?? defaultVersionedRuleSet;
}

/** Each tenant's newest rule set, or the default one at version 1, in one query. */
export async function currentRuleSets(
  db: Queryable,
  tenantIds: readonly string[],
): Promise<Map<string, VersionedRuleSet>> {
  const result = await db.query<RuleSetRow & { tenant_id: string }>(
    `SELECT DISTINCT ON (tenant_id) tenant_id, version, rule_set, created_at FROM scoring_rule_sets
     WHERE tenant_id = ANY($1::text[]) ORDER BY tenant_id, version DESC`,
    [[...new Set(tenantIds)]],
  );
  const saved = new Map(result.rows.map((row) => [row.tenant_id, row]));
  return new Map(tenantIds.map((tenantId) => [tenantId, toVersionedRuleSet(saved.get(tenantId))]));
}

/**
 * A rule set as stored, brought within today's bounds without changing how it scores: MQL thresholds saved as
 * fractions are rounded up (scores are whole, so 60.5 and 61 qualify the same leads), weights above the maximum
 * are scaled down together (only their ratios count), and outcome counts above the maximum are lowered to it.
 */
export function withinCurrentBounds(stored: unknown): unknown {
  if (!isRecord(stored)) return stored;
  const upgraded: Record<string, unknown> = { ...stored };
  if (isRecord(stored.mql)) upgraded.mql = mapNumbers(stored.mql, ['threshold', 'revokeBelow'], Math.ceil);
  if (isRecord(stored.weights)) {
    const largest = Math.max(...Object.values(stored.weights).filter((value) => typeof value === 'number'));
    const scale = largest > maxWeight ? maxWeight / largest : 1;
    upgraded.weights = mapNumbers(stored.weights, ['fit', 'engagement', 'predictive'], (value) => value * scale);
  }
  if (isRecord(stored.predictive)) {
    const lowered = (value: number) => Math.min(value, maxSettingCount);
    upgraded.predictive = mapNumbers(stored.predictive, ['minOutcomes', 'minPerClass'], lowered);
  }
  return upgraded;
}

function mapNumbers(
  record: Record<string, unknown>,
  keys: readonly string[],
  map: (value: number) => number,
): Record<string, unknown> {
  const mapped = { ...record };
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'number') mapped[key] = map(value);
  }
  return mapped;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Stores `ruleSet` as the tenant's next version, inside the caller's transaction (which queues the
 * rescore with it). Two concurrent saves cannot take one version: the second fails on the primary key.
 */
export async function insertNextRuleSet(
  client: pg.PoolClient,
  options: { tenantId: string; ruleSet: ScoringRuleSet; now: Date },
): Promise<VersionedRuleSet> {
  const result = await client.query<{ version: number }>(
    `INSERT INTO scoring_rule_sets (tenant_id, version, rule_set, created_at)
     SELECT $1, COALESCE(MAX(version), $4) + 1, $2, $3 FROM scoring_rule_sets WHERE tenant_id = $1
     RETURNING version`,
    [options.tenantId, JSON.stringify(options.ruleSet), options.now, defaultRuleSetVersion],
  );
  return { version: (result.rows[0] as { version: number }).version, ruleSet: options.ruleSet, createdAt: options.now };
}
