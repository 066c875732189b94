import { maxDurationMinutes, maxSettingCount } from '@l2o/contracts';
import { emptyPoolState } from '../assignment/index.ts';
import type { Pool, PoolState, Rep, RoutingSettings } from '../assignment/index.ts';
import type { Db } from '../db.ts';

/** A tenant's whole routing configuration; `settings` is absent until the tenant saves some. */
export type TenantRouting = { settings?: RoutingSettings; pools: Pool[]; reps: Rep[] };

export async function readSettings(db: Db, tenantId: string): Promise<RoutingSettings | undefined> {
  const result = await db.query<{ settings: RoutingSettings }>(
    'SELECT settings FROM routing_settings WHERE tenant_id = $1',
    [tenantId],
  );
  const settings = result.rows[0]?.settings;
  return settings === undefined ? undefined : settingsWithinBounds(settings);
}

export async function saveSettings(
  db: Db,
  options: { tenantId: string; settings: RoutingSettings; now: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO routing_settings (tenant_id, settings, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id) DO UPDATE SET settings = EXCLUDED.settings, updated_at = EXCLUDED.updated_at`,
    [options.tenantId, options.settings, options.now],
  );
}

export async function readReps(db: Db, tenantId: string): Promise<Rep[]> {
  const result = await db.query<{ rep: Rep }>('SELECT rep FROM routing_reps WHERE tenant_id = $1 ORDER BY rep_id', [
    tenantId,
  ]);
  return result.rows.map((row) => repWithinBounds(row.rep));
}

export async function saveRep(db: Db, options: { tenantId: string; rep: Rep }): Promise<void> {
  await db.query(
    `INSERT INTO routing_reps (tenant_id, rep_id, rep) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id, rep_id) DO UPDATE SET rep = EXCLUDED.rep`,
    [options.tenantId, options.rep.id, options.rep],
  );
}

/** Whether the rep existed. */
export async function deleteRep(db: Db, options: { tenantId: string; repId: string }): Promise<boolean> {
  const result = await db.query('DELETE FROM routing_reps WHERE tenant_id = $1 AND rep_id = $2', [
    options.tenantId,
    options.repId,
  ]);
  return result.rowCount === 1;
}

export async function readPools(db: Db, tenantId: string): Promise<Pool[]> {
  const result = await db.query<{ pool: Pool }>(
    'SELECT pool FROM routing_pools WHERE tenant_id = $1 ORDER BY pool_id',
    [tenantId],
  );
  return result.rows.map((row) => row.pool);
}

/** Saves the pool's definition; its fairness state stays as it was. */
export async function savePool(db: Db, options: { tenantId: string; pool: Pool }): Promise<void> {
  await db.query(
    `INSERT INTO routing_pools (tenant_id, pool_id, pool) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id, pool_id) DO UPDATE SET pool = EXCLUDED.pool`,
    [options.tenantId, options.pool.id, options.pool],
  );
}

/** Whether the pool existed. */
export async function deletePool(db: Db, options: { tenantId: string; poolId: string }): Promise<boolean> {
  const result = await db.query('DELETE FROM routing_pools WHERE tenant_id = $1 AND pool_id = $2', [
    options.tenantId,
    options.poolId,
  ]);
  return result.rowCount === 1;
}

export async function readTenantRouting(db: Db, tenantId: string): Promise<TenantRouting> {
  return (await readTenantRoutingWithStates(db, tenantId)).routing;
}

/**
 * The tenant's routing and each pool's fairness state, in one query; read under the tenant's routing
 * lock when the states are to be saved.
 */
export async function readTenantRoutingWithStates(
  db: Db,
  tenantId: string,
): Promise<{ routing: TenantRouting; poolStates: Record<string, PoolState> }> {
  const result = await db.query<{
    settings: RoutingSettings | null;
    pools: Array<{ pool: Pool; state: PoolState }>;
    reps: Rep[];
  }>(
    `SELECT (SELECT settings FROM routing_settings WHERE tenant_id = $1) AS settings,
            (SELECT coalesce(jsonb_agg(jsonb_build_object('pool', pool, 'state', state) ORDER BY pool_id), '[]')
               FROM routing_pools WHERE tenant_id = $1) AS pools,
            (SELECT coalesce(jsonb_agg(rep ORDER BY rep_id), '[]') FROM routing_reps WHERE tenant_id = $1) AS reps`,
    [tenantId],
  );
  const row = result.rows[0] ?? { settings: null, pools: [], reps: [] };
  return {
    routing: {
      ...(row.settings === null ? {} : { settings: settingsWithinBounds(row.settings) }),
      pools: row.pools.map(({ pool }) => pool),
      reps: row.reps.map(repWithinBounds),
    },
    poolStates: Object.fromEntries(row.pools.map(({ pool, state }) => [pool.id, { ...emptyPoolState(), ...state }])),
  };
}

/** Stores pools' fairness states, in one statement; call under their tenants' routing locks. */
export async function savePoolStates(
  db: Db,
  states: ReadonlyArray<{ tenantId: string; poolId: string; state: PoolState }>,
): Promise<void> {
  if (states.length === 0) return;
  await db.query(
    `UPDATE routing_pools AS p SET state = s.state
       FROM jsonb_to_recordset($1::jsonb) AS s(tenant_id text, pool_id text, state jsonb)
      WHERE p.tenant_id = s.tenant_id AND p.pool_id = s.pool_id`,
    [JSON.stringify(states.map(({ tenantId, poolId, state }) => ({ tenant_id: tenantId, pool_id: poolId, state })))],
  );
}

// Settings saved before the bounds existed may exceed them. An SLA beyond ten years could not even be turned
// into a due date (assignments failed with "Invalid time value"), and a cap or threshold beyond a million
// never behaved differently from a million, so reads lower them to the bound.
const atMost = (max: number) => (value: number) => Math.min(value, max);
const slaMinutes = atMost(maxDurationMinutes);
const settingCount = atMost(maxSettingCount);

function settingsWithinBounds(settings: RoutingSettings): RoutingSettings {
  return {
    ...settings,
    defaultResponseSlaMinutes: slaMinutes(settings.defaultResponseSlaMinutes),
    escalateAfterBreaches: settingCount(settings.escalateAfterBreaches),
    rules: settings.rules.map((rule) =>
      rule.responseSlaMinutes === undefined
        ? rule
        : { ...rule, responseSlaMinutes: slaMinutes(rule.responseSlaMinutes) },
    ),
  };
}

function repWithinBounds(rep: Rep): Rep {
  return {
    ...rep,
    ...(rep.maxOpenLeads === undefined ? {} : { maxOpenLeads: settingCount(rep.maxOpenLeads) }),
    ...(rep.dailyQuota === undefined ? {} : { dailyQuota: settingCount(rep.dailyQuota) }),
  };
}
