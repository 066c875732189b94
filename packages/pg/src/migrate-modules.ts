/** Creates or upgrades one module's tables in a schema, e.g. `migrateEventStore` or `migrateTenancy`. */
export type ModuleMigration = (target: { databaseUrl: string; schema: string }) => Promise<unknown>;

/**
 * Migrates the modules that keep their tables in one schema, one after another in the order given:
 * a module may refer to the tables of one before it, and each waits for the last to finish.
 */
export async function migrateModules(options: {
  databaseUrl: string;
  schema: string;
  modules: readonly ModuleMigration[];
}): Promise<void> {
  const { databaseUrl, schema } = options;
  for (const migrate of options.modules) await migrate({ databaseUrl, schema });
}
