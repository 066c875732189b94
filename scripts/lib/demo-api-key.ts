// The API key scripts/start hands to the demo stream and prints for curl: created once, kept in a
// file, and replaced only when it no longer verifies (revoked, or the database was reset).
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createPool } from '@l2o/pg';
import { createApiKey, createApiKeyVerifier } from '@l2o/tenancy';
import type { ApiScope } from '@l2o/tenancy';

const demoScopes: readonly ApiScope[] = ['ingest', 'read_reports', 'administer_rules', 'work_leads'];

export type DemoApiKey = { apiKey: string; tenantId: string; scopes: readonly ApiScope[]; created: boolean };

async function savedKey(file: string): Promise<string | undefined> {
  try {
    const text = (await readFile(file, 'utf8')).trim();
    return text === '' ? undefined : text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The key saved in `file` when it still verifies for `tenantId` with the demo scopes, else a new one saved there. */
export async function ensureDemoApiKey(options: {
  databaseUrl: string;
  schema: string;
  tenantId: string;
  file: string;
}): Promise<DemoApiKey> {
  const pool = createPool({ connectionString: options.databaseUrl, schema: options.schema, max: 1 });
  try {
    const saved = await savedKey(options.file);
    if (saved !== undefined) {
      const principal = await createApiKeyVerifier({ pool, cacheTtlMs: 0 })(saved);
      const fits =
        principal?.tenantId === options.tenantId && demoScopes.every((scope) => principal.scopes.includes(scope));
      if (fits) return { apiKey: saved, tenantId: options.tenantId, scopes: demoScopes, created: false };
    }
    const created = await createApiKey({ pool, tenantId: options.tenantId, name: 'demo', scopes: demoScopes });
    await mkdir(dirname(options.file), { recursive: true });
    await writeFile(options.file, `${created.apiKey}\n`, { mode: 0o600 });
    // writeFile's mode applies only to a new file; an older, wider one is narrowed here.
    await chmod(options.file, 0o600);
    return { apiKey: created.apiKey, tenantId: options.tenantId, scopes: demoScopes, created: true };
  } finally {
    await pool.end();
  }
}
