import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSqlMigrations } from '@l2o/pg';
import { runSqlMigrationsThrough } from './earlier-migrations.ts';
import { freshSchema } from './fresh-schema.ts';

describe('migrations of an earlier release', () => {
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let dir: string;

  beforeAll(async () => {
    db = await freshSchema('earlier_migrations');
    dir = await mkdtemp(join(tmpdir(), 'earlier-migrations-'));
    for (const name of ['001_first', '002_second', '010_tenth']) {
      await writeFile(join(dir, `${name}.sql`), `CREATE TABLE ${name.slice(4)} (id int);`);
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true });
    await db.drop();
  });

  async function tables(): Promise<string[]> {
    const client = new pg.Client({ connectionString: db.databaseUrl });
    await client.connect();
    try {
      const result = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name <> 'migrations'
         ORDER BY table_name`,
        [db.schema],
      );
      return result.rows.map((row) => row.table_name);
    } finally {
      await client.end();
    }
  }

  it('applies the migrations up to the one named, and the module then applies only the newer ones', async () => {
    const target = { databaseUrl: db.databaseUrl, schema: db.schema, table: 'migrations' };

    const earlier = await runSqlMigrationsThrough({ ...target, dir, through: '002_second.sql' });
    const before = await tables();
    const upgrade = await runSqlMigrations({ ...target, dir });

    expect(earlier).toEqual(['001_first', '002_second']);
    expect(before).toEqual(['first', 'second']);
    expect(upgrade).toEqual(['010_tenth']);
    expect(await tables()).toEqual(['first', 'second', 'tenth']);
  });

  it('refuses a migration the folder does not hold, naming the ones it does', async () => {
    const other = await freshSchema('earlier_migrations');
    const migrating = runSqlMigrationsThrough({
      databaseUrl: other.databaseUrl,
      schema: other.schema,
      dir,
      table: 'migrations',
      through: '002_second',
    }).finally(() => other.drop());

    await expect(migrating).rejects.toThrow(
      `no migration 002_second in ${dir} (it holds 001_first.sql, 002_second.sql, 010_tenth.sql)`,
    );
  });
});
