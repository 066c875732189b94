import type pg from 'pg';

/** A pool, or one connection inside a transaction. */
export type Db = pg.Pool | pg.PoolClient;
