import { fileURLToPath } from 'node:url';
import { runSqlMigrations } from '@l2o/pg';
import { migrateStreamConsumer } from '@l2o/stream-consumer';

const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Creates or upgrades attribution's tables (touchpoints, leads, journeys, learned weights, settings) and the
 * consumer kit's in `schema`, recording applied files in `<schema>.attribution_migrations`. Safe to run at
 * every start-up. Returns the names of attribution's migrations it applied.
 */
export async function migrateAttribution(options: { databaseUrl: string; schema: string }): Promise<string[]> {
  // First: attribution's 002 moves the applied stream versions into the kit's positions.
  await migrateStreamConsumer(options);
  return runSqlMigrations({
    databaseUrl: options.databaseUrl,
    schema: options.schema,
    dir: migrationsDir,
    table: 'attribution_migrations',
  });
}
