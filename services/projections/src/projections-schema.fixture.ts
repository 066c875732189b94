import pg from 'pg';
import { quoteIdent } from '@l2o/pg';
import { freshSchema } from '@l2o/testing';
import { migrateProjections, reportingSchemaOf } from './migrations.ts';

/** A test's own schema with the read models migrated; `drop()` removes it and its reporting schema. */
export type ProjectionsSchema = {
  schema: string;
  reportingSchema: string;
  databaseUrl: string;
  drop: () => Promise<void>;
};

/** A fresh schema for one suite with the projections migrations applied. */
export async function freshProjectionsSchema(prefix: string): Promise<ProjectionsSchema> {
  const db = await freshSchema(prefix);
  const reportingSchema = reportingSchemaOf(db.schema);
  const dropReporting = async () => {
    const client = new pg.Client({ connectionString: db.databaseUrl });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(reportingSchema)} CASCADE`);
    } finally {
      await client.end();
    }
  };
  try {
    await migrateProjections({ databaseUrl: db.databaseUrl, schema: db.schema });
  } catch (error) {
    await db.drop();
    await dropReporting();
    throw error;
  }
  return {
    schema: db.schema,
    reportingSchema,
    databaseUrl: db.databaseUrl,
    drop: async () => {
      await db.drop();
      await dropReporting();
    },
  };
}
