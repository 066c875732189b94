import { fileURLToPath } from 'node:url';
import { runSqlMigrations } from '@l2o/pg';

const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Creates or upgrades the read model tables in `schema`, recording applied files in
 * `<schema>.projections_migrations`. Safe to run at every start-up; returns the migrations it applied.
 */
export async function migrateProjections(options: { databaseUrl: string; schema: string }): Promise<string[]> {
  return runSqlMigrations({
    databaseUrl: options.databaseUrl,
    schema: options.schema,
    dir: migrationsDir,
    table: 'projections_migrations',
  });
}
