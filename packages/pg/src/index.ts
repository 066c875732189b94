export { createPool, quoteIdent } from './pool.ts';
export type { PoolOptions } from './pool.ts';
export { runSqlMigrations } from './migrations.ts';
export { withTransaction } from './transaction.ts';
