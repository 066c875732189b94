export { createPool, quoteIdent } from './pool.ts';
export type { PoolOptions } from './pool.ts';
export { runSqlMigrations } from './migrations.ts';
export { migrateModules } from './migrate-modules.ts';
export type { ModuleMigration } from './migrate-modules.ts';
export { withTransaction } from './transaction.ts';
