import pg from 'pg';
import { quoteIdent } from '@l2o/pg';

export function testDatabaseUrl(): string {
  return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/** Creates an empty schema with a unique name for one test suite; `drop()` removes it and all it holds. */
export async function freshSchema(
  prefix = 't',
): Promise<{ schema: string; databaseUrl: string; drop: () => Promise<void> }> {
  const schema = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const databaseUrl = testDatabaseUrl();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
  await client.end();
  return {
    schema,
    databaseUrl,
    drop: async () => {
      const dropper = new pg.Client({ connectionString: databaseUrl });
      await dropper.connect();
      await dropper.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
      // The projections' analyst views live in a sibling schema (see services/projections' reporting migration).
      await dropper.query(`DROP SCHEMA IF EXISTS ${quoteIdent(`${schema}_reporting`)} CASCADE`);
      await dropper.end();
    },
  };
}
