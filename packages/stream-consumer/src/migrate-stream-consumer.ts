import { fileURLToPath } from 'node:url';
import { runSqlMigrations } from '@l2o/pg';

const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Creates or upgrades the consumer kit's tables (`consumer_positions`, `consumer_outbox`) in `schema`,
 * recording applied files in `<schema>.stream_consumer_migrations`. Safe to run at every start-up.
 */
export async function migrateStreamConsumer(options: { databaseUrl: string; schema: string }): Promise<string[]> {
  return runSqlMigrations({ ...options, dir: migrationsDir, table: 'stream_consumer_migrations' });
}
