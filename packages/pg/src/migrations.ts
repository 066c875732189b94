import { runner } from 'node-pg-migrate';

/**
 * Applies the numbered `.sql` files in `dir` that `schema` has not seen yet, in order, and records
 * them in `<schema>.<table>`. Re-running applies nothing new; concurrent runs wait on an advisory lock.
 * Each module (event store, relay, projections) keeps its own migrations table, so each can be
 * migrated, dropped and rebuilt alone.
 */
export async function runSqlMigrations(options: {
  databaseUrl: string;
  schema: string;
  dir: string;
  table: string;
  log?: (message: string) => void;
}): Promise<string[]> {
  const applied = await runner({
    databaseUrl: options.databaseUrl,
    dir: options.dir,
    direction: 'up',
    schema: options.schema,
    createSchema: true,
    migrationsSchema: options.schema,
    createMigrationsSchema: true,
    migrationsTable: options.table,
    checkOrder: true,
    singleTransaction: true,
    // Services migrate at start and start together; node-pg-migrate's default ('fail') would crash all but one.
    advisoryLockMode: 'wait',
    log: options.log ?? (() => undefined),
  });
  return applied.map((migration) => migration.name);
}
