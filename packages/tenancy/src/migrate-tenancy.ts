import { fileURLToPath } from 'node:url';
import { runSqlMigrations } from '@l2o/pg';

const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Creates or upgrades the tenancy tables (`api_keys`) in `schema`, recording applied files in
 * `<schema>.tenancy_migrations`. Safe to run at every start-up; returns the migrations it applied.
 */
export async function migrateTenancy(options: { databaseUrl: string; schema: string }): Promise<string[]> {
  return runSqlMigrations({
    databaseUrl: options.databaseUrl,
    schema: options.schema,
    dir: migrationsDir,
    table: 'tenancy_migrations',
  });
}
