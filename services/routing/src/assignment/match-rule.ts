import type { RoutingRule, RuleConditions } from './routing-config.schema.ts';

/** What routing rules look at; the service reads it from the lead's profile and score. */
export type RoutableLead = {
  country?: string;
  state?: string;
  industry?: string;
  productLine?: string;
  source?: string;
  channel?: string;
  employees?: number;
  score?: number;
};

type Range = { min?: number; max?: number };

/** The first rule whose conditions all hold for the lead, or `undefined` when none does. */
export function matchRule(lead: RoutableLead, rules: readonly RoutingRule[]): RoutingRule | undefined {
  return rules.find((rule) => conditionsHold(lead, rule.conditions));
}

function conditionsHold(lead: RoutableLead, conditions: RuleConditions): boolean {
  return (
    oneOf(lead.country, conditions.countries) &&
    oneOf(lead.state, conditions.states) &&
    oneOf(lead.industry, conditions.industries) &&
    oneOf(lead.productLine, conditions.productLines) &&
    oneOf(lead.source, conditions.sources) &&
    oneOf(lead.channel, conditions.channels) &&
    within(lead.employees, conditions.companySize) &&
    within(lead.score, conditions.score)
  );
}

function oneOf(value: string | undefined, allowed: readonly string[] | undefined): boolean {
  if (allowed === undefined) return true;
  if (value === undefined) return false;
  const key = comparable(value);
  return allowed.some((candidate) => comparable(candidate) === key);
}

function within(value: number | undefined, range: Range | undefined): boolean {
  if (range === undefined) return true;
  if (value === undefined) return false;
  return (range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max);
}

function comparable(value: string): string {
  return value.trim().toLowerCase();
}
