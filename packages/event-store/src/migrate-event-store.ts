import { fileURLToPath } from 'node:url';
import { runSqlMigrations } from '@l2o/pg';

const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Creates or upgrades the event store tables (`streams`, `events`, `checkpoints`) in `schema`,
 * recording applied files in `<schema>.event_store_migrations`. Safe to run at every start-up.
 * Returns the names of the migrations it applied.
 */
export async function migrateEventStore(options: { databaseUrl: string; schema: string }): Promise<string[]> {
  return runSqlMigrations({
    databaseUrl: options.databaseUrl,
    schema: options.schema,
    dir: migrationsDir,
    table: 'event_store_migrations',
  });
}
