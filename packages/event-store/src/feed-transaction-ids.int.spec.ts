import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema, spreadTransactionIdsAcrossDigits } from '@l2o/testing';
import type { FeedCursor, NewEvent } from './event-store.port.ts';
import { migrateEventStore } from './migrate-event-store.ts';
import { createPostgresEventStore } from './postgres-event-store.ts';
import type { PostgresEventStore } from './postgres-event-store.ts';

describe('PostgresEventStore feed across transaction ids that gain a digit', () => {
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let store: PostgresEventStore;
  let inOrder: string[];
  let cursors: FeedCursor[];

  beforeAll(async () => {
    db = await freshSchema('es_xid');
    await migrateEventStore({ databaseUrl: db.databaseUrl, schema: db.schema });
    store = createPostgresEventStore({ connectionString: db.databaseUrl, schema: db.schema, pollIntervalMs: 10 });
    for (let transaction = 0; transaction < 60; transaction += 1) {
      const events = Array.from({ length: 1 + (transaction % 4) }, newEvent);
      await store.appendToStream(`lead-${transaction % 7}`, events, { expectedVersion: 'any' });
    }
    await spreadTransactionIdsAcrossDigits(store.pool);
    const ordered = await store.pool.query<{ event_id: string; xid: string; global_position: string }>(
      `SELECT event_id::text AS event_id, events.transaction_id::text AS xid, global_position FROM events
       ORDER BY events.transaction_id, global_position`,
    );
    inOrder = ordered.rows.map((row) => row.event_id);
    cursors = ordered.rows.map((row) => `${row.xid}:${row.global_position}`);
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('holds ids whose text order differs from their order, so a text sort would show', async () => {
    const asText = await store.pool.query<{ event_id: string }>(
      'SELECT event_id::text AS event_id FROM events ORDER BY transaction_id::text, global_position',
    );
    const ids = await store.pool.query<{ xid: string }>('SELECT DISTINCT transaction_id::text AS xid FROM events');
    const digits = new Set(ids.rows.map((row) => row.xid.length));

    expect([...digits].sort()).toEqual([3, 4, 5, 6]);
    expect(asText.rows.map((row) => row.event_id)).not.toEqual(inOrder);
  });

  it('resumes after any event with exactly the events that follow it', async () => {
    for (const [index, cursor] of cursors.entries()) {
      const page = await store.readFeed(cursor, { maxCount: 1_000 });
      expect(page.events.map((e) => e.id)).toEqual(inOrder.slice(index + 1));
    }
  });

  it('names the last event as the head and counts the lag after any event', async () => {
    expect(await store.headCursor()).toBe(cursors.at(-1));
    for (const [index, cursor] of cursors.entries()) {
      expect(await store.feedLag(cursor)).toEqual({ readable: inOrder.length - index - 1, heldBack: 0 });
    }
  });
});

function newEvent(): NewEvent {
  return { id: randomUUID(), type: 'LeadCaptured', data: {}, metadata: { tenantId: 'tenant-1' } };
}
