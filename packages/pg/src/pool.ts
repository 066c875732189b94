import pg from 'pg';

// int8 (bigint) and numeric arrive as strings by default; counts and positions in this
// project stay far below 2^53, so parse them as numbers once, here.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type PoolOptions = {
  connectionString: string;
  /** Schema that unqualified table names resolve to; the tests give each suite its own. */
  schema?: string;
  max?: number;
  applicationName?: string;
};

/**
 * A pg pool whose sessions resolve names in `schema` and never sit idle inside a transaction
 * (an open transaction holds back the event store's ordered feed for every reader).
 */
export function createPool(options: PoolOptions): pg.Pool {
  const searchPath = options.schema ? `${quoteIdent(options.schema)},public` : undefined;
  return new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName,
    idle_in_transaction_session_timeout: 30_000,
    options: searchPath ? `-c search_path=${searchPath}` : undefined,
  });
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
