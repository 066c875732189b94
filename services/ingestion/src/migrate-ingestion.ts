import { fileURLToPath } from 'node:url';
import { runSqlMigrations } from '@l2o/pg';

const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Creates or upgrades ingestion's tables (lead identities, tenant settings, idempotency keys, imports)
 * in `schema`, recording applied files in `<schema>.ingestion_migrations`. Safe to run at every start-up.
 * Returns the names of the migrations it applied.
 */
export async function migrateIngestion(options: { databaseUrl: string; schema: string }): Promise<string[]> {
  return runSqlMigrations({
    databaseUrl: options.databaseUrl,
    schema: options.schema,
    dir: migrationsDir,
    table: 'ingestion_migrations',
  });
}
