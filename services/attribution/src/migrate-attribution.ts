import { fileURLToPath } from 'node:url';
import { runSqlMigrations } from '@l2o/pg';

const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Creates or upgrades attribution's tables (touchpoints, leads, journeys, learned weights, settings) in
 * `schema`, recording applied files in `<schema>.attribution_migrations`. Safe to run at every start-up.
 */
export async function migrateAttribution(options: { databaseUrl: string; schema: string }): Promise<string[]> {
  return runSqlMigrations({
    databaseUrl: options.databaseUrl,
    schema: options.schema,
    dir: migrationsDir,
    table: 'attribution_migrations',
  });
}
