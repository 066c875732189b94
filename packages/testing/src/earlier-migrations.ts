import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSqlMigrations } from '@l2o/pg';

/**
 * Leaves `schema` as an earlier release left it: applies the `.sql` migrations of `dir` up to and
 * including `through` (in name order) and records them in `table`, as the module's own migrate function
 * would, so that function then applies only the newer ones. For specs of an upgrade. Returns the names applied.
 * @throws Error when `dir` holds no migration named `through`.
 */
export async function runSqlMigrationsThrough(options: {
  databaseUrl: string;
  schema: string;
  /** The module's migrations folder, e.g. `new URL('../migrations', import.meta.url)`. */
  dir: string | URL;
  table: string;
  /** The file name of the last migration the earlier release had, e.g. `003_scoring-outcomes.sql`. */
  through: string;
}): Promise<string[]> {
  const dir = options.dir instanceof URL ? fileURLToPath(options.dir) : options.dir;
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  if (!files.includes(options.through)) {
    throw new Error(`no migration ${options.through} in ${dir} (it holds ${files.join(', ')})`);
  }
  // node-pg-migrate applies a whole folder: the earlier release's files go into one of their own.
  const earlier = await mkdtemp(join(tmpdir(), `${options.table}-`));
  try {
    for (const file of files.filter((name) => name <= options.through)) {
      await copyFile(join(dir, file), join(earlier, file));
    }
    return await runSqlMigrations({ ...options, dir: earlier });
  } finally {
    await rm(earlier, { recursive: true });
  }
}
