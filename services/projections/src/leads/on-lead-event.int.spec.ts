import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, ensureTopics, runConsumer } from '@l2o/bus';
import type { ConsumerRunner, Publisher } from '@l2o/bus';
import { dlqTopic, Topics, withNamespace } from '@l2o/contracts';
import { createPool } from '@l2o/pg';
import { freshSchema, kafkaBrokers, uniqueSuffix, waitFor } from '@l2o/testing';
import { migrateProjections } from '../migrations.ts';
import { leadCapturedEvent, leadTouchRecordedEvent } from './lead-event.fixture.ts';
import { startLeadsConsumer } from './on-lead-event.ts';

describe('leads consumer', () => {
  const namespace = `test-proj-${uniqueSuffix()}`;
  const topic = withNamespace(Topics.lead, namespace);
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let pool: pg.Pool;
  let publisher: Publisher;
  let consumer: ConsumerRunner | undefined;
  const timing = { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, maxWaitTimeMs: 100 };

  beforeAll(async () => {
    db = await freshSchema('proj_kafka');
    await migrateProjections({ databaseUrl: db.databaseUrl, schema: db.schema });
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 4 });
    // One partition, so the order of the published events is the order they are handled in.
    await ensureTopics({ brokers: kafkaBrokers(), topics: [{ topic, partitions: 1 }] });
    publisher = createPublisher({ brokers: kafkaBrokers(), clientId: 'projections-test' });
    await publisher.connect();
  });
  afterAll(async () => {
    await consumer?.stop();
    await publisher.disconnect();
    await pool.end();
    await db.drop();
  });

  it('applies lead events from the namespaced topic once each and skips types not in the catalogue', async () => {
    const tenantId = `acme-${randomUUID()}`;
    const captured = leadCapturedEvent({ tenantId });
    const touch = leadTouchRecordedEvent({ lead: captured, streamversion: 2 });
    const later = leadCapturedEvent({ tenantId });
    const unhandled = { ...leadCapturedEvent({ tenantId }), type: 'l2o.lead.teleported.v1', data: {} };
    await publisher.publish(topic, [
      { key: captured.subject, event: captured },
      { key: unhandled.subject, event: unhandled },
      { key: captured.subject, event: captured },
      { key: touch.subject, event: touch },
      { key: touch.subject, event: touch },
      { key: later.subject, event: later },
    ]);

    const groupId = `projections-test-${uniqueSuffix()}`;
    consumer = await startLeadsConsumer({ brokers: kafkaBrokers(), topicNamespace: namespace, groupId, pool, timing });

    // The last event published is handled last, so once its row exists every earlier one was handled.
    await waitFor('the row of the last lead published', async () => {
      const result = await pool.query('SELECT 1 FROM leads WHERE lead_id = $1', [later.subject]);
      return result.rowCount === 1;
    });
    const rows = await pool.query<{ lead_id: string; touch_count: number; last_channel: string; version: number }>(
      'SELECT lead_id::text AS lead_id, touch_count, last_channel, version FROM leads WHERE tenant_id = $1',
      [tenantId],
    );
    expect(rows.rows).toHaveLength(2);
    expect(rows.rows).toEqual(
      expect.arrayContaining([
        { lead_id: captured.subject, touch_count: 2, last_channel: 'ad', version: 2 },
        { lead_id: later.subject, touch_count: 1, last_channel: 'web_form', version: 1 },
      ]),
    );

    // Skipped, not dead-lettered: a marker we add to the dead-letter topic now must be the first message on it.
    const deadLetters = dlqTopic(topic, groupId);
    const marker = leadCapturedEvent({ tenantId });
    await publisher.publish(deadLetters, [{ key: marker.subject, event: marker }]);
    const seen: string[] = [];
    const reader = await runConsumer({
      brokers: kafkaBrokers(),
      groupId: `dlq-reader-${uniqueSuffix()}`,
      topics: [deadLetters],
      deadLetter: { ensureTopics: false },
      timing,
      handle: async ({ event }) => {
        seen.push(event.id);
      },
    });
    await waitFor('the marker on the dead-letter topic', () => seen.includes(marker.id)).finally(() => reader.stop());
    expect(seen).toEqual([marker.id]);
  });
});
