import { fileURLToPath } from 'node:url';
import { runSqlMigrations } from '@l2o/pg';
import { migrateStreamConsumer } from '@l2o/stream-consumer';

const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Creates or upgrades routing's tables (settings, reps, pools and their state, rep loads, leads,
 * SLA timers) in `schema`, recording applied files in `<schema>.routing_migrations`, after the consumer
 * kit's tables, which routing's migrations fill. Safe at every start-up. Returns the names of the
 * migrations it applied.
 */
export async function migrateRouting(options: { databaseUrl: string; schema: string }): Promise<string[]> {
  const kit = await migrateStreamConsumer(options);
  const own = await runSqlMigrations({
    databaseUrl: options.databaseUrl,
    schema: options.schema,
    dir: migrationsDir,
    table: 'routing_migrations',
  });
  return [...kit, ...own];
}
