import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@l2o/pg';
import { freshSchema } from '@l2o/testing';
import { createApiKeyVerifier } from './api-key-verifier.ts';
import { createApiKey, revokeApiKey } from './api-keys.ts';
import { migrateTenancy } from './migrate-tenancy.ts';

describe('API key verifier', () => {
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await freshSchema('tenancy_verify');
    await migrateTenancy({ databaseUrl: db.databaseUrl, schema: db.schema });
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 4 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const newKey = (scopes: Parameters<typeof createApiKey>[0]['scopes'] = ['ingest', 'read_reports']) =>
    createApiKey({ pool, tenantId: `acme-${randomUUID()}`, name: 'test', scopes });

  /** A clock the test moves by hand, so cache expiry needs no waiting. */
  function manualClock() {
    let now = Date.parse('2025-03-14T09:26:53.000Z');
    return { clock: () => new Date(now), advance: (ms: number) => void (now += ms) };
  }

  it('resolves a key to its tenant, key id and scopes', async () => {
    const created = await newKey();
    const verify = createApiKeyVerifier({ pool });

    expect(await verify(created.apiKey)).toEqual({
      tenantId: created.tenantId,
      keyId: created.keyId,
      scopes: ['ingest', 'read_reports'],
    });
  });

  it('refuses a known key id with a wrong secret, also once the key is cached', async () => {
    const created = await newKey();
    const verify = createApiKeyVerifier({ pool });
    const wrongSecret = `${created.apiKey.slice(0, -3)}${created.apiKey.endsWith('AAA') ? 'BBB' : 'AAA'}`;

    expect(await verify(wrongSecret)).toBeUndefined();
    expect(await verify(created.apiKey)).toBeDefined();
    expect(await verify(wrongSecret)).toBeUndefined();
  });

  it('refuses an unknown key and a malformed one', async () => {
    const verify = createApiKeyVerifier({ pool });
    expect(await verify(`l2o_ffffffffffffffff_${'A'.repeat(43)}`)).toBeUndefined();
    expect(await verify('x-tenant-id: acme')).toBeUndefined();
  });

  it('refuses a revoked key', async () => {
    const created = await newKey();
    await revokeApiKey({ pool, keyId: created.keyId });
    expect(await createApiKeyVerifier({ pool })(created.apiKey)).toBeUndefined();
  });

  describe('cache', () => {
    it('keeps accepting a key revoked while cached until the TTL passes, then refuses it', async () => {
      const created = await newKey();
      const { clock, advance } = manualClock();
      const verify = createApiKeyVerifier({ pool, cacheTtlMs: 30_000, clock });
      expect(await verify(created.apiKey)).toBeDefined();

      await revokeApiKey({ pool, keyId: created.keyId });
      advance(29_999);
      expect(await verify(created.apiKey)).toBeDefined();
      advance(1);
      expect(await verify(created.apiKey)).toBeUndefined();
    });

    it('asks the database once per key within the TTL, even for concurrent requests', async () => {
      const created = await newKey();
      const counting = countingPool(pool);
      const verify = createApiKeyVerifier({ pool: counting.pool, cacheTtlMs: 30_000 });

      const answers = await Promise.all([verify(created.apiKey), verify(created.apiKey), verify(created.apiKey)]);
      await verify(created.apiKey);

      expect(answers.every((answer) => answer?.tenantId === created.tenantId)).toBe(true);
      expect(counting.queries()).toBe(1);
    });

    it('asks the database every time when the TTL is 0, so revocation is immediate', async () => {
      const created = await newKey();
      const verify = createApiKeyVerifier({ pool, cacheTtlMs: 0 });
      expect(await verify(created.apiKey)).toBeDefined();

      await revokeApiKey({ pool, keyId: created.keyId });
      expect(await verify(created.apiKey)).toBeUndefined();
    });

    it('forgets a failed lookup, so the next request asks again', async () => {
      const created = await newKey();
      let failNext = true;
      const flaky = {
        query: async (...args: Parameters<pg.Pool['query']>) => {
          if (failNext) {
            failNext = false;
            throw new Error('connection terminated');
          }
          return pool.query(...args);
        },
      } as unknown as pg.Pool;
      const verify = createApiKeyVerifier({ pool: flaky, cacheTtlMs: 30_000 });

      await expect(verify(created.apiKey)).rejects.toThrow('connection terminated');
      expect(await verify(created.apiKey)).toMatchObject({ tenantId: created.tenantId });
    });
  });
});

/** `pool`, counting the queries sent through it. */
function countingPool(pool: pg.Pool): { pool: pg.Pool; queries: () => number } {
  let count = 0;
  const counting = {
    query: (...args: Parameters<pg.Pool['query']>) => {
      count += 1;
      return pool.query(...args);
    },
  } as unknown as pg.Pool;
  return { pool: counting, queries: () => count };
}
