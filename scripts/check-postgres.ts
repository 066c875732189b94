// Exits 0 when the PostgreSQL server at the given URL answers a query, 1 with the reason otherwise.
import pg from 'pg';

const url = process.argv[2] ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
try {
  await client.connect();
  await client.query('SELECT 1');
  await client.end();
} catch (error) {
  console.error(`cannot reach PostgreSQL at ${url}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
