import type pg from 'pg';
import { withTransaction } from '@l2o/pg';
import { poolSchema, repSchema, routingSettingsSchema } from '../assignment/index.ts';
import type { Pool, Rep, RoutingSettings } from '../assignment/index.ts';
import { readTenantRouting, savePool, saveRep, saveSettings } from '../routing-config/routing-config.repository.ts';
import { lockTenantRouting } from '../routing-leads/tenant-lock.ts';

/** A tenant's whole routing configuration as the admin API takes it. */
export type RoutingSetup = { settings: RoutingSettings; reps: Rep[]; pools: Pool[] };

const emeaCountries = [
  'GB',
  'IE',
  'DE',
  'AT',
  'CH',
  'FR',
  'BE',
  'NL',
  'LU',
  'ES',
  'PT',
  'IT',
  'SE',
  'NO',
  'DK',
  'FI',
  'PL',
];
const americasCountries = ['US', 'CA', 'MX', 'BR', 'AR', 'CL', 'CO'];

// No working hours: the demo assigns around the clock, whatever the time zone of the machine it runs on.
const reps: Rep[] = [
  { id: 'rep-ines', name: 'Inês Duarte', managerId: 'mgr-sofia', timezone: 'Europe/Lisbon' },
  { id: 'rep-jonas', name: 'Jonas Weber', managerId: 'mgr-sofia', timezone: 'Europe/Berlin' },
  { id: 'rep-amara', name: 'Amara Okafor', managerId: 'mgr-sofia', timezone: 'Europe/London' },
  { id: 'rep-maya', name: 'Maya Chen', managerId: 'mgr-diego', timezone: 'America/New_York' },
  { id: 'rep-luis', name: 'Luis Ortega', managerId: 'mgr-diego', timezone: 'America/Chicago' },
  { id: 'rep-priya', name: 'Priya Nair', managerId: 'mgr-diego', timezone: 'America/Los_Angeles' },
].map((rep) => repSchema.parse({ ...rep, active: true, maxOpenLeads: 40, dailyQuota: 25 }));

const pools: Pool[] = [
  {
    id: 'enterprise',
    name: 'Enterprise',
    strategy: 'load_balanced',
    members: [{ repId: 'rep-jonas' }, { repId: 'rep-maya' }],
    managerId: 'mgr-sofia',
  },
  {
    id: 'emea',
    name: 'EMEA',
    strategy: 'weighted',
    members: [
      { repId: 'rep-ines', weight: 2 },
      { repId: 'rep-jonas', weight: 1 },
      { repId: 'rep-amara', weight: 2 },
    ],
    managerId: 'mgr-sofia',
  },
  {
    id: 'americas',
    name: 'Americas',
    strategy: 'round_robin',
    members: [{ repId: 'rep-maya' }, { repId: 'rep-luis' }, { repId: 'rep-priya' }],
    managerId: 'mgr-diego',
  },
  {
    id: 'shared',
    name: 'Shared',
    strategy: 'load_balanced',
    members: reps.map((rep) => ({ repId: rep.id })),
  },
].map((pool) => poolSchema.parse(pool));

const settings: RoutingSettings = routingSettingsSchema.parse({
  rules: [
    {
      id: 'enterprise',
      name: 'Companies of 1,000 employees or more',
      poolId: 'enterprise',
      conditions: { companySize: { min: 1000 } },
      responseSlaMinutes: 30,
    },
    { id: 'emea', name: 'Europe', poolId: 'emea', conditions: { countries: emeaCountries }, responseSlaMinutes: 60 },
    {
      id: 'americas',
      name: 'The Americas',
      poolId: 'americas',
      conditions: { countries: americasCountries },
      responseSlaMinutes: 60,
    },
  ],
  defaultPoolId: 'shared',
  sharedPoolId: 'shared',
  defaultResponseSlaMinutes: 120,
  escalateAfterBreaches: 2,
});

/**
 * The demo tenant's routing: six reps in two regions, an enterprise pool, EMEA (weighted) and
 * Americas (round robin) pools, a shared pool that takes the rest and recycled leads, and a
 * first-response SLA of 30 minutes for enterprise leads, 60 for regional ones, 120 otherwise.
 */
export const demoRouting: RoutingSetup = { settings, reps, pools };

/**
 * Installs `setup` (the demo routing by default) for a tenant that has no routing yet: no settings,
 * reps or pools. A tenant that has any keeps what it has. Safe to run at every start.
 */
export async function installDemoRouting(options: {
  pool: pg.Pool;
  tenantId: string;
  now: Date;
  setup?: RoutingSetup;
}): Promise<'installed' | 'already_configured'> {
  const { tenantId, now } = options;
  const setup = options.setup ?? demoRouting;
  return withTransaction(options.pool, async (client) => {
    await lockTenantRouting(client, tenantId);
    const current = await readTenantRouting(client, tenantId);
    if (current.settings !== undefined || current.reps.length > 0 || current.pools.length > 0) {
      return 'already_configured';
    }
    for (const rep of setup.reps) await saveRep(client, { tenantId, rep });
    for (const pool of setup.pools) await savePool(client, { tenantId, pool });
    await saveSettings(client, { tenantId, settings: setup.settings, now });
    return 'installed';
  });
}
