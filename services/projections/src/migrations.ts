import { fileURLToPath } from 'node:url';
import { runSqlMigrations } from '@l2o/pg';

const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Creates or upgrades the read model tables in `schema`, and the SQL views over them in
 * {@link reportingSchemaOf}(schema), recording applied files in `<schema>.projections_migrations`.
 * Safe to run at every start-up; returns the migrations it applied.
 */
export async function migrateProjections(options: { databaseUrl: string; schema: string }): Promise<string[]> {
  return runSqlMigrations({
    databaseUrl: options.databaseUrl,
    schema: options.schema,
    dir: migrationsDir,
    table: 'projections_migrations',
  });
}

/**
 * The schema of the documented SQL views for analysts (`l2o_reporting` for the default schema `l2o`).
 * It sits beside the service's schema, not in it, so the read-only role `l2o_reporting` can be given
 * it alone; dropping the service's schema leaves it empty, so drop both.
 */
export function reportingSchemaOf(schema: string): string {
  return `${schema}_reporting`;
}
