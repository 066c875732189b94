import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema } from '@l2o/testing';
import { acquireLeaderLock, type LeaderLock } from './leader-lock.ts';

describe('relay leader lock', () => {
  let database: Awaited<ReturnType<typeof freshSchema>>;
  const held: LeaderLock[] = [];

  beforeAll(async () => {
    database = await freshSchema('relaylock');
  });

  afterAll(async () => {
    for (const lock of held) await lock.release();
    await database.drop();
  });

  // The lock is per schema name; each test contends on a name of its own.
  const acquire = (lockSchema: string, options: { onWaiting?: () => void; signal?: AbortSignal } = {}) =>
    acquireLeaderLock({
      connectionString: database.databaseUrl,
      schema: `${database.schema}_${lockSchema}`,
      signal: options.signal ?? new AbortController().signal,
      retryMs: 20,
      ...(options.onWaiting ? { onWaiting: options.onWaiting } : {}),
    });

  it('lets one relay lead while a second waits, and hands over when the leader releases', async () => {
    const leader = await acquire('handover');
    expect(leader).toBeDefined();
    let standbyWaiting: () => void = () => undefined;
    const waiting = new Promise<void>((resolve) => (standbyWaiting = resolve));
    const standby = acquire('handover', { onWaiting: () => standbyWaiting() });
    await waiting;
    await leader!.release();
    const successor = await standby;
    expect(successor).toBeDefined();
    held.push(successor!);
  });

  it('reports the lock lost when its database session is terminated', async () => {
    const other = await freshSchema('relaylock');
    try {
      const lock = await acquireLeaderLock({
        connectionString: other.databaseUrl,
        schema: other.schema,
        signal: new AbortController().signal,
      });
      const admin = new pg.Client({ connectionString: other.databaseUrl });
      await admin.connect();
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_locks
         WHERE locktype = 'advisory' AND classid = $1 AND objid = hashtext($2)::oid`,
        [0x4c324f, other.schema],
      );
      await admin.end();
      await expect(lock!.lost).rejects.toThrow(/relay lock session/);
      await lock!.release();
    } finally {
      await other.drop();
    }
  });

  it('gives up waiting when the relay is stopping', async () => {
    const leader = await acquire('stopping');
    held.push(leader!);
    const controller = new AbortController();
    const standby = acquire('stopping', { signal: controller.signal, onWaiting: () => controller.abort() });
    await expect(standby).resolves.toBeUndefined();
  });
});
