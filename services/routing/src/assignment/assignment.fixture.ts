import type { EligibleRep } from './eligibility.ts';
import type { Pool, Rep, RoutingRule, RoutingSettings } from './routing-config.schema.ts';

/** Monday 2025-03-10, 10:00 in London (UTC), 11:00 in Berlin, 06:00 in New York. */
export const monday = new Date('2025-03-10T10:00:00Z');

export function rep(id: string, fields: Partial<Rep> = {}): Rep {
  return { id, name: `Rep ${id}`, active: true, timezone: 'Europe/London', ...fields };
}

export function pool(id: string, fields: Partial<Pool> & { repIds?: string[] } = {}): Pool {
  const { repIds = [], ...rest } = fields;
  return {
    id,
    name: `Pool ${id}`,
    strategy: 'round_robin',
    members: repIds.map((repId) => ({ repId, weight: 1 })),
    ...rest,
  };
}

export function rule(id: string, fields: Partial<RoutingRule> & { poolId: string }): RoutingRule {
  return { id, name: `Rule ${id}`, conditions: {}, ...fields };
}

export function settings(fields: Partial<RoutingSettings> = {}): RoutingSettings {
  return {
    rules: [],
    defaultPoolId: 'default',
    sharedPoolId: 'shared',
    defaultResponseSlaMinutes: 120,
    escalateAfterBreaches: 2,
    ...fields,
  };
}

/** Every member of the pool as eligible with the given loads (none when not given). */
export function allEligible(
  of: Pool,
  loads: Record<string, { openLeads?: number; assignedToday?: number }> = {},
): EligibleRep[] {
  return of.members.map(({ repId, weight }) => ({
    repId,
    weight,
    openLeads: loads[repId]?.openLeads ?? 0,
    assignedToday: loads[repId]?.assignedToday ?? 0,
    localDay: '2025-03-10',
  }));
}

/** A state as it comes back from the database: stored as JSON and read again. */
export function throughJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
