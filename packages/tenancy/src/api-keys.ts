import type pg from 'pg';
import type { ApiScope } from '@l2o/service-kit';
import { formatApiKey, generateApiKeyParts, hashSecret } from './api-key-format.ts';
import { apiScopes, isApiScope } from './api-scopes.ts';

/** 1 to 64 letters, digits, ".", "_" or "-": within the event contracts' 64 characters. */
const tenantIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** What is stored about a key; never its secret. */
export type ApiKeyInfo = {
  keyId: string;
  tenantId: string;
  name: string;
  scopes: ApiScope[];
  createdAt: Date;
  revokedAt: Date | null;
};

/** A key just created: `apiKey` is the plaintext, returned this once and stored nowhere. */
export type CreatedApiKey = ApiKeyInfo & { apiKey: string };

/** `not_found` also when the key belongs to another tenant than the one given. */
export type RevokeOutcome = 'revoked' | 'already_revoked' | 'not_found';

type ApiKeyRow = {
  key_id: string;
  tenant_id: string;
  name: string;
  scopes: string[];
  created_at: Date;
  revoked_at: Date | null;
};

const infoColumns = 'key_id, tenant_id, name, scopes, created_at, revoked_at';

function toInfo(row: ApiKeyRow): ApiKeyInfo {
  return {
    keyId: row.key_id,
    tenantId: row.tenant_id,
    name: row.name,
    scopes: row.scopes.filter(isApiScope),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

function validScopes(scopes: readonly string[]): ApiScope[] {
  const unknown = scopes.filter((scope) => !isApiScope(scope));
  if (unknown.length > 0) {
    throw new Error(`unknown scope ${unknown.join(', ')}; expected some of ${apiScopes.join(', ')}`);
  }
  if (scopes.length === 0) throw new Error(`a key needs at least one scope of ${apiScopes.join(', ')}`);
  return [...new Set(scopes.filter(isApiScope))];
}

/**
 * Creates a key for `tenantId` with `scopes` and returns its plaintext once; only a hash is stored.
 * @throws Error naming the problem when the tenant id, name or scopes are invalid.
 */
export async function createApiKey(options: {
  pool: pg.Pool;
  tenantId: string;
  /** What the key is for (`crm-sync`), shown when listing keys. */
  name: string;
  scopes: readonly ApiScope[];
}): Promise<CreatedApiKey> {
  if (!tenantIdPattern.test(options.tenantId)) {
    throw new Error(`invalid tenant id "${options.tenantId}": expected 1 to 64 letters, digits, ".", "_" or "-"`);
  }
  const name = options.name.trim();
  if (name === '' || name.length > 200) throw new Error('a key name needs 1 to 200 characters');
  const scopes = validScopes(options.scopes);
  const parts = generateApiKeyParts();
  const result = await options.pool.query<ApiKeyRow>(
    `INSERT INTO api_keys (key_id, tenant_id, name, key_hash, scopes) VALUES ($1, $2, $3, $4, $5)
     RETURNING ${infoColumns}`,
    [parts.keyId, options.tenantId, name, hashSecret(parts.secret), scopes],
  );
  const [row] = result.rows as [ApiKeyRow];
  return { ...toInfo(row), apiKey: formatApiKey(parts) };
}

/**
 * Revokes a key for good. Verifiers cache keys for their TTL, so a revoked key may still be
 * accepted for up to that long (see `createApiKeyVerifier`).
 * @param options.tenantId when given, only a key of that tenant is revoked.
 */
export async function revokeApiKey(options: {
  pool: pg.Pool;
  keyId: string;
  tenantId?: string;
}): Promise<RevokeOutcome> {
  const tenantId = options.tenantId ?? null;
  const revoked = await options.pool.query(
    `UPDATE api_keys SET revoked_at = now()
     WHERE key_id = $1 AND ($2::text IS NULL OR tenant_id = $2) AND revoked_at IS NULL`,
    [options.keyId, tenantId],
  );
  if (revoked.rowCount === 1) return 'revoked';
  const existing = await options.pool.query(
    'SELECT 1 FROM api_keys WHERE key_id = $1 AND ($2::text IS NULL OR tenant_id = $2)',
    [options.keyId, tenantId],
  );
  return existing.rowCount === 1 ? 'already_revoked' : 'not_found';
}

/** The keys of `tenantId`, revoked ones included, oldest first; never their secrets. */
export async function listApiKeys(options: { pool: pg.Pool; tenantId: string }): Promise<ApiKeyInfo[]> {
  const result = await options.pool.query<ApiKeyRow>(
    `SELECT ${infoColumns} FROM api_keys WHERE tenant_id = $1 ORDER BY created_at, key_id`,
    [options.tenantId],
  );
  return result.rows.map(toInfo);
}
