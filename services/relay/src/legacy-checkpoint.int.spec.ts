import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkLegacyCheckpoint,
  createPostgresEventStore,
  loadCheckpoint,
  migrateEventStore,
  requestCheckpointRewind,
  saveCheckpoint,
  START,
  takeCheckpointRewind,
} from '@l2o/event-store';
import type { PostgresEventStore } from '@l2o/event-store';
import { createLogger } from '@l2o/service-kit';
import { advanceTransactionIdsPast, freshSchema, spreadTransactionIdsAcrossDigits } from '@l2o/testing';
import { settleLegacyCheckpoint } from './legacy-checkpoint.ts';

const logger = createLogger({ name: 'relay-test', level: 'silent' });

describe('a relay cursor saved before the feed sorted transaction ids as numbers', () => {
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await freshSchema('relay_legacy');
    await migrateEventStore({ databaseUrl: db.databaseUrl, schema: db.schema });
    store = createPostgresEventStore({ connectionString: db.databaseUrl, schema: db.schema });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  async function appendEvents(count: number): Promise<void> {
    for (let index = 0; index < count; index += 1) {
      await store.appendToStream(
        `lead-${randomUUID()}`,
        [{ id: randomUUID(), type: 'LeadCaptured', data: {}, metadata: { tenantId: 't1' } }],
        { expectedVersion: 'no_stream' },
      );
    }
  }

  /** Saves `cursor` as the release before the fix did: without a feed order. */
  async function saveAsOlderRelease(name: string, cursor: string): Promise<void> {
    await saveCheckpoint(store.pool, name, cursor);
    await store.pool.query('UPDATE checkpoints SET feed_order = NULL WHERE name = $1', [name]);
  }

  it('goes back to the start when the store has ids of fewer digits than the cursor', async () => {
    await appendEvents(12);
    await spreadTransactionIdsAcrossDigits(store.pool);
    const head = await store.headCursor();
    await saveAsOlderRelease('relay', head);

    expect(await checkLegacyCheckpoint(store.pool, 'relay')).toEqual({
      verdict: 'may-have-skipped',
      cursor: head,
      eventsBefore: 12,
    });
    await settleLegacyCheckpoint({ db: store.pool, name: 'relay', logger });
    expect(await loadCheckpoint(store.pool, 'relay')).toBe(START);
    expect(await checkLegacyCheckpoint(store.pool, 'relay')).toEqual({ verdict: 'no-checkpoint' });
  });

  it('keeps the cursor and marks it checked when every id has as many digits as the cursor', async () => {
    await store.pool.query('DELETE FROM events');
    await appendEvents(5);
    await advanceTransactionIdsPast(store.pool, 200_100n);
    await store.pool.query(
      `UPDATE events SET transaction_id = (200000 + numbered.n)::text::xid8
       FROM (SELECT global_position, row_number() OVER (ORDER BY global_position) AS n FROM events) AS numbered
       WHERE events.global_position = numbered.global_position`,
    );
    const head = await store.headCursor();
    await saveAsOlderRelease('relay', head);

    expect(await checkLegacyCheckpoint(store.pool, 'relay')).toEqual({ verdict: 'safe', cursor: head });
    await settleLegacyCheckpoint({ db: store.pool, name: 'relay', logger });
    expect(await loadCheckpoint(store.pool, 'relay')).toBe(head);
    expect(await checkLegacyCheckpoint(store.pool, 'relay')).toEqual({ verdict: 'current' });
  });

  it('hands an operator’s rewind to the relay once, the latest request winning', async () => {
    await requestCheckpointRewind(store.pool, 'relay', '100:5');
    await requestCheckpointRewind(store.pool, 'relay', START);

    expect(await takeCheckpointRewind(store.pool, 'relay')).toBe(START);
    expect(await takeCheckpointRewind(store.pool, 'relay')).toBeUndefined();
    await expect(requestCheckpointRewind(store.pool, 'relay', 'not-a-cursor')).rejects.toThrow('invalid feed cursor');
  });
});
