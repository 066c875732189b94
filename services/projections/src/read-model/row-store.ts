import type pg from 'pg';

/**
 * Reading and writing a batch's rows of one table in a statement each. Rows travel as JSON in the
 * table's own row type (`json_populate_recordset(NULL::<table>, …)`), so PostgreSQL parses every value
 * as it parses a parameter of the column's type, and read back with `row_to_json`: times as ISO text
 * with their microseconds, uuids as text.
 */
export type RowTable<Column extends string> = {
  table: string;
  /** The columns the projection writes (generated ones left out), key columns included. */
  columns: readonly Column[];
  /** The columns that find a row: the primary key, tenant first. */
  key: readonly Column[];
};

/** A map key for a row of a tenant's aggregate; uuids compare case-blind, as the uuid columns do. */
export function rowKey(tenantId: string, id: string): string {
  return `${tenantId}\u0000${id.toLowerCase()}`;
}

/**
 * The (tenant, uuid) pairs of a JSON array of pairs in parameter `param`, as a subquery: thousands of
 * keys travel as one JSON text, much cheaper to write than array literals.
 */
export function keysFrom(param: string): string {
  return `SELECT k->>0, (k->>1)::uuid FROM json_array_elements(${param}::json) AS k`;
}

/**
 * The rows of `table` whose tenant and id (the first two key columns) are among `keys`, and that meet
 * `where` (alias `t`), if given.
 */
export async function readRows<Row>(
  client: pg.PoolClient,
  options: {
    table: string;
    key: readonly string[];
    keys: ReadonlyArray<readonly [string, string]>;
    /** The id column when it is not the second key column (e.g. the lead of a row keyed by something else). */
    idColumn?: string;
    where?: string;
  },
): Promise<Row[]> {
  if (options.keys.length === 0) return [];
  const [tenantColumn, keyColumn] = options.key;
  const idColumn = options.idColumn ?? keyColumn;
  const unique = new Map(options.keys.map(([tenantId, id]) => [rowKey(tenantId, id), [tenantId, id] as const]));
  const result = await client.query<{ row: Row }>(
    `SELECT row_to_json(t) AS row FROM ${options.table} t
     WHERE (t.${tenantColumn}, t.${idColumn}) IN (${keysFrom('$1')})
       ${options.where === undefined ? '' : `AND (${options.where})`}`,
    [JSON.stringify([...unique.values()])],
  );
  return result.rows.map((row) => row.row);
}

/**
 * A fold's written rows by map key, as {@link writeRows} takes them: `update` those whose key is among the
 * `stored` rows the fold started from, `insert` the others.
 */
export function splitByStored<Row>(
  rows: ReadonlyMap<string, Row>,
  stored: ReadonlySet<string>,
): { update: Row[]; insert: Row[] } {
  const all = [...rows];
  return {
    update: all.filter(([key]) => stored.has(key)).map(([, row]) => row),
    insert: all.filter(([key]) => !stored.has(key)).map(([, row]) => row),
  };
}

/** Inserts the `insert` rows and updates the `update` rows (found by key), one statement each. */
export async function writeRows<Column extends string>(
  client: pg.PoolClient,
  options: RowTable<Column> & {
    insert?: ReadonlyArray<Record<Column, unknown>>;
    update?: ReadonlyArray<Record<Column, unknown>>;
  },
): Promise<void> {
  const { table, columns, key } = options;
  // Updates first: a row closed here (an assignment, a state) may make room for one inserted below.
  if (options.update !== undefined && options.update.length > 0) {
    const set = columns.filter((column) => !key.includes(column));
    await client.query(
      `UPDATE ${table} t SET ${set.map((column) => `${column} = r.${column}`).join(', ')}
       FROM json_populate_recordset(NULL::${table}, $1::json) r
       WHERE ${key.map((column) => `t.${column} = r.${column}`).join(' AND ')}`,
      [JSON.stringify(options.update)],
    );
  }
  if (options.insert !== undefined && options.insert.length > 0) {
    await client.query(
      `INSERT INTO ${table} (${columns.join(', ')})
       SELECT ${columns.join(', ')} FROM json_populate_recordset(NULL::${table}, $1::json)`,
      [JSON.stringify(options.insert)],
    );
  }
}
