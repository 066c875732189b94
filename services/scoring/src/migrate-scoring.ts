import { fileURLToPath } from 'node:url';
import { runSqlMigrations } from '@l2o/pg';
import { migrateStreamConsumer } from '@l2o/stream-consumer';

const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Creates or upgrades scoring's tables (rule sets, leads as scoring sees them, outcomes, models) and
 * its consumers' positions and outbox in `schema`, recording applied files in
 * `<schema>.scoring_migrations`. Safe to run at every start-up. Returns the names of the migrations it applied.
 */
export async function migrateScoring(options: { databaseUrl: string; schema: string }): Promise<string[]> {
  // First: scoring's own migrations move its positions into the kit's table.
  await migrateStreamConsumer(options);
  return runSqlMigrations({
    databaseUrl: options.databaseUrl,
    schema: options.schema,
    dir: migrationsDir,
    table: 'scoring_migrations',
  });
}
