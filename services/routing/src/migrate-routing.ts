import { fileURLToPath } from 'node:url';
import { runSqlMigrations } from '@l2o/pg';

const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Creates or upgrades routing's tables (settings, reps, pools and their state, rep loads, leads,
 * SLA timers) in `schema`, recording applied files in `<schema>.routing_migrations`. Safe at every start-up.
 * Returns the names of the migrations it applied.
 */
export async function migrateRouting(options: { databaseUrl: string; schema: string }): Promise<string[]> {
  return runSqlMigrations({
    databaseUrl: options.databaseUrl,
    schema: options.schema,
    dir: migrationsDir,
    table: 'routing_migrations',
  });
}
