import type pg from 'pg';
import type { ApiScope, Principal } from '@l2o/service-kit';
import { parseApiKey, secretMatches } from './api-key-format.ts';
import { isApiScope } from './api-scopes.ts';

/** The principal of a verified key: its tenant, its scopes and which key it was. */
export type ApiKeyPrincipal = Principal & { keyId: string };

export type ApiKeyVerifierOptions = {
  /** A pool whose sessions resolve `api_keys` (see `createPool({ schema })`). */
  pool: pg.Pool;
  /**
   * How long a looked-up key (or its absence) is reused without asking the database. A revoked
   * key keeps working in this process for at most this long. Default 30 000; 0 disables the cache.
   */
  cacheTtlMs?: number;
  /** Bounds the memory random key ids can take; the oldest entry goes first. Default 10 000. */
  maxCachedKeys?: number;
  /** Tests move time forward to expire cached keys. */
  clock?: () => Date;
};

/** An active key's row, or `undefined` when the key id is unknown or revoked. */
type StoredKey = { tenantId: string; keyHash: Buffer; scopes: ApiScope[] } | undefined;

type StoredKeyRow = { tenant_id: string; key_hash: Buffer; scopes: string[] };

/**
 * The `verifyApiKey` for service-kit's `auth` option: resolves `l2o_<keyId>_<secret>` to its tenant
 * and scopes, or `undefined` for a malformed, unknown, revoked or wrong-secret key.
 */
export function createApiKeyVerifier(
  options: ApiKeyVerifierOptions,
): (apiKey: string) => Promise<ApiKeyPrincipal | undefined> {
  const ttlMs = options.cacheTtlMs ?? 30_000;
  const maxCachedKeys = options.maxCachedKeys ?? 10_000;
  const clock = options.clock ?? (() => new Date());
  // Promises, not rows, so concurrent requests with one uncached key share one query.
  const cache = new Map<string, { stored: Promise<StoredKey>; expiresAt: number }>();

  async function load(keyId: string): Promise<StoredKey> {
    const result = await options.pool.query<StoredKeyRow>(
      'SELECT tenant_id, key_hash, scopes FROM api_keys WHERE key_id = $1 AND revoked_at IS NULL',
      [keyId],
    );
    const row = result.rows[0];
    return row === undefined
      ? undefined
      : { tenantId: row.tenant_id, keyHash: row.key_hash, scopes: row.scopes.filter(isApiScope) };
  }

  function storedKey(keyId: string): Promise<StoredKey> {
    const now = clock().getTime();
    const cached = cache.get(keyId);
    if (cached !== undefined && cached.expiresAt > now) return cached.stored;
    cache.delete(keyId);
    const stored = load(keyId);
    if (ttlMs <= 0) return stored;
    if (cache.size >= maxCachedKeys) {
      const oldest = cache.keys().next();
      if (oldest.done !== true) cache.delete(oldest.value);
    }
    const entry = { stored, expiresAt: now + ttlMs };
    cache.set(keyId, entry);
    // A failed lookup (database down) must not be remembered as an answer.
    stored.catch(() => {
      if (cache.get(keyId) === entry) cache.delete(keyId);
    });
    return stored;
  }

  return async (apiKey) => {
    const parts = parseApiKey(apiKey);
    if (parts === undefined) return undefined;
    const stored = await storedKey(parts.keyId);
    if (stored === undefined || !secretMatches(parts.secret, stored.keyHash)) return undefined;
    return { tenantId: stored.tenantId, keyId: parts.keyId, scopes: stored.scopes };
  };
}
