import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, ensureTopics, runConsumer } from '@l2o/bus';
import type { ConsumedEvent, ConsumerRunner, Publisher } from '@l2o/bus';
import { dlqTopic, Topics, withNamespace } from '@l2o/contracts';
import { createPool } from '@l2o/pg';
import { createMetrics } from '@l2o/service-kit';
import { kafkaBrokers, uniqueSuffix, waitFor } from '@l2o/testing';
import { leadCapturedEvent, leadTouchRecordedEvent } from '../leads/lead-event.fixture.ts';
import { freshProjectionsSchema } from '../projections-schema.fixture.ts';
import type { ProjectionsSchema } from '../projections-schema.fixture.ts';
import { readModels } from '../read-models.ts';
import { startReadModelConsumer } from './read-model-consumer.ts';

describe('read model consumer', () => {
  const namespace = `test-proj-${uniqueSuffix()}`;
  const topic = withNamespace(Topics.lead, namespace);
  const groupId = `projections-test-${uniqueSuffix()}`;
  let db: ProjectionsSchema;
  let pool: pg.Pool;
  let publisher: Publisher;
  let consumer: ConsumerRunner | undefined;
  const timing = { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, maxWaitTimeMs: 100 };

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_kafka');
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 4 });
    // One partition, so the order of the published events is the order they are handled in.
    // The consumer reads every topic its read models follow: opportunity and attribution ones must exist too.
    const followed = [Topics.opportunity, Topics.attribution].map((name) => withNamespace(name, namespace));
    await ensureTopics({
      brokers: kafkaBrokers(),
      topics: [topic, ...followed].map((name) => ({ topic: name, partitions: 1 })),
    });
    publisher = createPublisher({ brokers: kafkaBrokers(), clientId: 'projections-test' });
    await publisher.connect();
  });
  afterAll(async () => {
    await consumer?.stop();
    await publisher.disconnect();
    await pool.end();
    await db.drop();
  });

  /** The ids of the messages on the group's dead-letter topic, up to a marker added to it now. */
  async function deadLetterIds(): Promise<string[]> {
    const marker = leadCapturedEvent();
    await publisher.publish(dlqTopic(topic, groupId), [{ key: marker.subject, event: marker }]);
    const seen: ConsumedEvent[] = [];
    const reader = await runConsumer({
      brokers: kafkaBrokers(),
      groupId: `dlq-reader-${uniqueSuffix()}`,
      topics: [dlqTopic(topic, groupId)],
      deadLetter: { ensureTopics: false },
      timing,
      handle: async (message) => {
        seen.push(message);
      },
    });
    await waitFor('the marker on the dead-letter topic', () =>
      seen.some((message) => message.event.id === marker.id),
    ).finally(() => reader.stop());
    return seen.map((message) => message.event.id).filter((id) => id !== marker.id);
  }

  it('applies lead events to every read model once each, skips types not in the catalogue and parks a gap', async () => {
    const tenantId = `acme-${randomUUID()}`;
    const captured = leadCapturedEvent({ tenantId });
    const touch = leadTouchRecordedEvent({ lead: captured, streamversion: 2 });
    const gapped = leadCapturedEvent({ tenantId });
    const beyondGap = leadTouchRecordedEvent({ lead: gapped, streamversion: 3 });
    const later = leadCapturedEvent({ tenantId });
    const unhandled = { ...leadCapturedEvent({ tenantId }), type: 'l2o.lead.teleported.v1', data: {} };
    await publisher.publish(topic, [
      { key: captured.subject, event: captured },
      { key: unhandled.subject, event: unhandled },
      { key: captured.subject, event: captured },
      { key: touch.subject, event: touch },
      { key: touch.subject, event: touch },
      { key: gapped.subject, event: gapped },
      { key: beyondGap.subject, event: beyondGap },
      { key: later.subject, event: later },
    ]);

    const metrics = createMetrics({ serviceName: 'l2o-projections' });
    consumer = await startReadModelConsumer({
      brokers: kafkaBrokers(),
      topicNamespace: namespace,
      groupId,
      pool,
      readModels,
      timing,
      metrics,
    });

    // The last event published is handled last, so once its row exists every earlier one was handled.
    await waitFor(
      'the row of the last lead published',
      async () => (await pool.query('SELECT 1 FROM leads WHERE lead_id = $1', [later.subject])).rowCount === 1,
      { timeoutMs: 60_000 },
    );
    const leads = await pool.query<{ lead_id: string; touch_count: number; last_channel: string; version: number }>(
      'SELECT lead_id::text AS lead_id, touch_count, last_channel, version FROM leads WHERE tenant_id = $1',
      [tenantId],
    );
    expect(leads.rows).toHaveLength(3);
    expect(leads.rows).toEqual(
      expect.arrayContaining([
        { lead_id: captured.subject, touch_count: 2, last_channel: 'ad', version: 2 },
        { lead_id: gapped.subject, touch_count: 1, last_channel: 'web_form', version: 1 },
        { lead_id: later.subject, touch_count: 1, last_channel: 'web_form', version: 1 },
      ]),
    );
    const timeline = await pool.query<{ lead_id: string; stream_version: number; type: string }>(
      `SELECT lead_id::text AS lead_id, stream_version, type FROM lead_timeline WHERE tenant_id = $1
       ORDER BY lead_id, stream_version`,
      [tenantId],
    );
    expect(timeline.rows).toEqual(
      [
        { lead_id: captured.subject, stream_version: 1, type: 'LeadCaptured' },
        { lead_id: captured.subject, stream_version: 2, type: 'LeadTouchRecorded' },
        { lead_id: gapped.subject, stream_version: 1, type: 'LeadCaptured' },
        { lead_id: later.subject, stream_version: 1, type: 'LeadCaptured' },
      ].sort((a, b) => a.lead_id.localeCompare(b.lead_id)),
    );

    // The unknown type only moved positions, the gap was retried and parked with its reason.
    expect(await deadLetterIds()).toEqual([beyondGap.id]);
    const gaps = await metrics.getSingleMetric('l2o_read_model_stream_gaps_total')?.get();
    const gapsOf = (readModel: string) => gaps?.values.find((value) => value.labels.read_model === readModel)?.value;
    // The first read model to see the gap refuses it: in the batch, then on each of the bus's one-by-one
    // attempts (5 by default).
    expect(gapsOf('leads')).toBe(6);
  });
});
