import { fileURLToPath } from 'node:url';
import { runSqlMigrations } from '@l2o/pg';

const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Creates or upgrades pipeline's tables (tenant pipeline settings, the opportunity view, stage SLA
 * timers) in `schema`, recording applied files in `<schema>.pipeline_migrations`. Safe to run at every
 * start-up. Returns the names of the migrations it applied.
 */
export async function migratePipeline(options: { databaseUrl: string; schema: string }): Promise<string[]> {
  return runSqlMigrations({
    databaseUrl: options.databaseUrl,
    schema: options.schema,
    dir: migrationsDir,
    table: 'pipeline_migrations',
  });
}
