import type pg from 'pg';

/** Where a repository function runs its queries: the pool, or a client inside the caller's transaction. */
export type Db = pg.Pool | pg.PoolClient;
