import { fileURLToPath } from 'node:url';
import { runSqlMigrations } from '@l2o/pg';
import { migrateStreamConsumer } from '@l2o/stream-consumer';

const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Creates or upgrades pipeline's tables (tenant pipeline settings, the opportunity view, stage SLA
 * timers) and the consumer kit's in `schema`, recording applied files in `<schema>.pipeline_migrations`.
 * Safe to run at every start-up. Returns the names of pipeline's migrations it applied.
 */
export async function migratePipeline(options: { databaseUrl: string; schema: string }): Promise<string[]> {
  // First: pipeline's 002 moves the view's stream versions into the kit's positions.
  await migrateStreamConsumer(options);
  return runSqlMigrations({
    databaseUrl: options.databaseUrl,
    schema: options.schema,
    dir: migrationsDir,
    table: 'pipeline_migrations',
  });
}
