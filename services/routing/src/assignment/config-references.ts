import type { Pool, Rep, RoutingSettings } from './routing-config.schema.ts';

export type DanglingReference = { path: string; id: string };

/**
 * The pool and rep ids a tenant's routing names that do not exist. The admin API refuses a change
 * that leaves any, since `assignLead` treats a missing pool as empty and a missing rep as
 * ineligible. Manager ids are not checked: a manager need not be a rep. Without settings (a tenant
 * that has saved pools and reps but no settings yet) only the pools' members are checked.
 */
export function danglingReferences(config: {
  settings?: RoutingSettings | undefined;
  pools: readonly Pool[];
  reps: readonly Rep[];
}): DanglingReference[] {
  const poolIds = new Set(config.pools.map((pool) => pool.id));
  const repIds = new Set(config.reps.map((rep) => rep.id));
  const dangling: DanglingReference[] = [];
  const pool = (path: string, id: string) => {
    if (!poolIds.has(id)) dangling.push({ path, id });
  };
  const rep = (path: string, id: string) => {
    if (!repIds.has(id)) dangling.push({ path, id });
  };
  if (config.settings !== undefined) {
    pool('defaultPoolId', config.settings.defaultPoolId);
    pool('sharedPoolId', config.settings.sharedPoolId);
    config.settings.rules.forEach((rule, index) => pool(`rules.${index}.poolId`, rule.poolId));
  }
  for (const each of config.pools) {
    each.members.forEach((member, index) => rep(`pools.${each.id}.members.${index}.repId`, member.repId));
  }
  return dangling;
}
