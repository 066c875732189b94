import type pg from 'pg';
import { quoteIdent } from '@l2o/pg';

/** Rows per table of one schema. */
export type RowCounts = Record<string, number>;

/** Tables a refused request may still write to, and why that is no leak. */
const writtenOnRefusal: Record<string, string> = {
  // A refused capture's 400 is kept under its Idempotency-Key, so a retry gets the same answer.
  idempotency_keys: 'stores the answer to replay',
};

/** The base tables of `schema`, migration ledgers left out. */
export async function tablesOf(pool: pg.Pool, schema: string): Promise<string[]> {
  const result = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name NOT LIKE '%migrations'
      ORDER BY table_name`,
    [schema],
  );
  return result.rows.map((row) => row.table_name);
}

/** Counts every table in one statement, so a snapshot per request stays cheap. */
export async function rowCounts(pool: pg.Pool, tables: readonly string[]): Promise<RowCounts> {
  if (tables.length === 0) return {};
  const selects = tables.map((table, index) => `SELECT ${index} AS i, count(*)::int AS n FROM ${quoteIdent(table)}`);
  const result = await pool.query<{ i: number; n: number }>(selects.join(' UNION ALL '));
  return Object.fromEntries(result.rows.map((row) => [tables[row.i] as string, row.n]));
}

/** Tables whose row count changed, other than those a refusal may write to; `events` counts too. */
export function changedTables(before: RowCounts, after: RowCounts): string[] {
  return Object.keys(after).filter((table) => before[table] !== after[table] && !(table in writtenOnRefusal));
}

/**
 * Rows that point at something that was never stored: a lead identity claimed for a lead whose
 * stream was never appended (the claim and the append are separate transactions).
 */
const orphanQueries: Record<string, string> = {
  lead_identities: `SELECT count(*)::int AS n FROM lead_identities i
    WHERE NOT EXISTS (SELECT 1 FROM streams s WHERE s.stream_id = 'lead-' || i.lead_id::text)`,
};

/** Orphan rows per table that has an orphan rule and exists in the schema. */
export async function orphanCounts(pool: pg.Pool, tables: readonly string[]): Promise<RowCounts> {
  const counts: RowCounts = {};
  for (const [table, sql] of Object.entries(orphanQueries)) {
    if (!tables.includes(table)) continue;
    counts[table] = (await pool.query<{ n: number }>(sql)).rows[0]?.n ?? 0;
  }
  return counts;
}
