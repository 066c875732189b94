import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopics } from '@l2o/bus';
import type { ConsumerRunner } from '@l2o/bus';
import { dlqTopic, leadCapturedV1Schema, Topics, withNamespace } from '@l2o/contracts';
import { createPostgresEventStore, migrateEventStore } from '@l2o/event-store';
import { createPool } from '@l2o/pg';
import { freshSchema, kafkaBrokers, uniqueSuffix, waitFor } from '@l2o/testing';
import { createLeadCapturer } from '../capture/create-lead-capturer.ts';
import type { LeadCapturer } from '../capture/lead-capturer.ts';
import { migrateIngestion } from '../migrate-ingestion.ts';
import { startIntakeConsumer } from './intake-consumer.ts';

const { Kafka, logLevel, Partitioners } = kafkajs;

const now = new Date('2025-03-14T09:26:53.000Z');
const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const timing = { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, maxWaitTimeMs: 100 };
const kafka = new Kafka({ brokers: kafkaBrokers(), clientId: 'intake-test', logLevel: logLevel.NOTHING });

type StoredEvent = { type: string; data: Record<string, unknown>; metadata: Record<string, unknown> };
type DeadLetter = { headers: Record<string, string>; value: string };

/** The headers a platform producer writes by hand (CloudEvents binary mode). */
function intakeHeaders(options: { id: string; tenantId: string }): Record<string, string> {
  return {
    ce_specversion: '1.0',
    ce_id: options.id,
    ce_type: 'l2o.lead-intake.submitted.v1',
    ce_source: '/partner/portal',
    ce_time: '2025-03-14T09:26:50Z',
    ce_tenantid: options.tenantId,
    'content-type': 'application/json',
  };
}

/** One topic in its own namespace with an intake consumer group reading it and a reader of its dead letters. */
async function startIntake(options: { capturer: LeadCapturer; groupId: string }) {
  const namespace = `test-intake-${uniqueSuffix()}`;
  const topic = withNamespace(Topics.leadIntake, namespace);
  // One partition, so messages are handled in the order they were sent.
  await ensureTopics({ brokers: kafkaBrokers(), topics: [{ topic, partitions: 1 }] });
  const start = () =>
    startIntakeConsumer({
      brokers: kafkaBrokers(),
      topicNamespace: namespace,
      groupId: options.groupId,
      capturer: options.capturer,
      timing,
    });
  let consumer: ConsumerRunner = await start();

  const deadLetters: DeadLetter[] = [];
  const reader = kafka.consumer({ groupId: `dlq-reader-${uniqueSuffix()}`, ...timing, maxWaitTimeInMs: 100 });
  await reader.connect();
  await reader.subscribe({ topics: [dlqTopic(topic, options.groupId)], fromBeginning: true });
  await reader.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(
        Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
      );
      deadLetters.push({ headers, value: message.value?.toString() ?? '' });
    },
  });

  return {
    topic,
    deadLetters,
    async restart() {
      await consumer.stop();
      consumer = await start();
    },
    async stop() {
      await consumer.stop();
      await reader.disconnect();
    },
  };
}

describe('Kafka intake', () => {
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let pool: pg.Pool;
  let capturer: LeadCapturer;
  let intake: Awaited<ReturnType<typeof startIntake>>;
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });

  beforeAll(async () => {
    db = await freshSchema('intake');
    await migrateEventStore({ databaseUrl: db.databaseUrl, schema: db.schema });
    await migrateIngestion({ databaseUrl: db.databaseUrl, schema: db.schema });
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 4 });
    capturer = createLeadCapturer({
      pool,
      store: createPostgresEventStore({ pool, schema: db.schema }),
      clock: () => now,
    });
    await producer.connect();
    intake = await startIntake({ capturer, groupId: `ingestion.intake.${uniqueSuffix()}` });
  });
  afterAll(async () => {
    await intake?.stop();
    await producer.disconnect();
    await pool?.end();
    await db?.drop();
  });

  async function send(
    topic: string,
    messages: Array<{ key?: string; headers: Record<string, string>; data: unknown }>,
  ): Promise<void> {
    await producer.send({
      topic,
      acks: -1,
      messages: messages.map(({ key, headers, data }) => ({ key: key ?? null, headers, value: JSON.stringify(data) })),
    });
  }

  /** Every event stored for a tenant, in commit order; each test has its own tenant. */
  async function eventsOf(tenantId: string): Promise<StoredEvent[]> {
    const result = await pool.query<StoredEvent>(
      `SELECT type, data, metadata FROM events WHERE metadata->>'tenantId' = $1 ORDER BY global_position`,
      [tenantId],
    );
    return result.rows;
  }

  function capturedWithCaptureId(tenantId: string, captureId: string) {
    return async () => {
      const events = await eventsOf(tenantId);
      return events.some((event) => event.data.captureId === captureId) && events;
    };
  }

  it('captures valid submissions as leads on the kafka_intake channel, once per ce_id', async () => {
    const tenantId = `acme-${randomUUID()}`;
    const ada = `ada-${randomUUID()}`;
    const grace = `grace-${randomUUID()}`;
    await send(intake.topic, [
      {
        key: 'crm-1',
        headers: { ...intakeHeaders({ id: ada, tenantId }), ce_subject: 'crm-1', traceparent },
        data: { email: ' Ada@Example.com ', firstName: 'Ada', touchpoint: { campaign: 'spring-webinar' } },
      },
      {
        key: 'crm-2',
        headers: intakeHeaders({ id: grace, tenantId }),
        data: { phone: '+14155550123', touchpoint: { channel: 'partner' } },
      },
    ]);

    const events = await waitFor('both leads captured', capturedWithCaptureId(tenantId, `intake:${grace}`));
    expect(events.map((event) => event.type)).toEqual(['LeadCaptured', 'LeadCaptured']);
    const [first, second] = events;
    expect(leadCapturedV1Schema.parse(first?.data)).toMatchObject({
      tenantId,
      capturedAt: now.toISOString(),
      contact: { email: 'ada@example.com', firstName: 'Ada' },
      touchpoint: { channel: 'kafka_intake', campaign: 'spring-webinar', occurredAt: now.toISOString() },
      captureId: `intake:${ada}`,
    });
    expect(first?.metadata).toMatchObject({ tenantId, producer: 'ingestion', correlationId: ada, causationId: ada });
    expect(String(first?.metadata.traceparent)).toContain('4bf92f3577b34da6a3ce929d0e0e4736');
    // A submission that names its channel keeps it; kafka_intake is only the default.
    expect(second?.data).toMatchObject({ contact: { phone: '+14155550123' }, touchpoint: { channel: 'partner' } });
  });

  it('dead-letters an invalid submission naming the field, and captures the one behind it on the partition', async () => {
    const tenantId = `acme-${randomUUID()}`;
    const invalid = `bad-${randomUUID()}`;
    const valid = `good-${randomUUID()}`;
    await send(intake.topic, [
      { key: 'crm-7', headers: intakeHeaders({ id: invalid, tenantId }), data: { email: 'ada-at-example.com' } },
      { key: 'crm-7', headers: intakeHeaders({ id: valid, tenantId }), data: { email: 'ada@example.com' } },
    ]);

    const events = await waitFor('the valid lead captured', capturedWithCaptureId(tenantId, `intake:${valid}`));
    expect(events.map((event) => [event.type, event.data.captureId])).toEqual([['LeadCaptured', `intake:${valid}`]]);
    const deadLetter = await waitFor('the invalid submission dead-lettered', () =>
      intake.deadLetters.find((message) => message.headers.ce_id === invalid),
    );
    expect(deadLetter.headers.dlq_reason).toMatch(/^lead submission rejected: email: /);
    expect(deadLetter.headers.dlq_error).toBe('PermanentError');
    expect(deadLetter.headers.dlq_original_topic).toBe(intake.topic);
    expect(deadLetter.headers.ce_tenantid).toBe(tenantId);
    expect(JSON.parse(deadLetter.value)).toEqual({ email: 'ada-at-example.com' });
  });

  it('dead-letters text PostgreSQL cannot store as invalid, claims no key, and captures the one behind it', async () => {
    const tenantId = `acme-${randomUUID()}`;
    const nul = `nul-${randomUUID()}`;
    const surrogateKey = `surrogate-${randomUUID()}`;
    const nulHeader = `nul-header-${randomUUID()}`;
    const marker = `marker-${randomUUID()}`;
    await send(intake.topic, [
      {
        key: 'crm-13',
        headers: intakeHeaders({ id: nul, tenantId }),
        data: { email: 'a@example.com', firstName: 'A\u0000' },
      },
      {
        key: 'crm-13',
        headers: intakeHeaders({ id: surrogateKey, tenantId }),
        data: { email: 'b@example.com', customFields: { 'seats\udc00': 3 } },
      },
      {
        key: 'crm-13',
        headers: { ...intakeHeaders({ id: nulHeader, tenantId }), ce_subject: 'crm\u000013' },
        data: { email: 'c@example.com' },
      },
      { key: 'crm-13', headers: intakeHeaders({ id: marker, tenantId }), data: { email: 'marker@example.com' } },
    ]);

    const events = await waitFor('the marker captured', capturedWithCaptureId(tenantId, `intake:${marker}`));
    expect(events.map((event) => event.data.captureId)).toEqual([`intake:${marker}`]);
    const deadLetterOf = (id: string) =>
      waitFor(`${id} dead-lettered`, () => intake.deadLetters.find((message) => message.headers.ce_id === id));
    expect((await deadLetterOf(nul)).headers).toMatchObject({
      dlq_error: 'PermanentError',
      dlq_reason: expect.stringMatching(/^lead submission rejected: firstName: contains a NUL character/),
    });
    expect((await deadLetterOf(surrogateKey)).headers).toMatchObject({
      dlq_error: 'PermanentError',
      dlq_reason: expect.stringMatching(
        /^lead submission rejected: customFields: key "seats\\udc00": contains a lone surrogate/,
      ),
    });
    expect((await deadLetterOf(nulHeader)).headers).toMatchObject({
      dlq_error: 'EnvelopeDecodeError',
      dlq_reason: expect.stringMatching(/^invalid header ce_subject: contains a NUL character/),
    });
    const identities = await pool.query('SELECT value FROM lead_identities WHERE tenant_id = $1', [tenantId]);
    expect(identities.rows).toEqual([{ value: 'marker@example.com' }]);
  });

  it('captures a redelivered message once: one lead, no touch', async () => {
    const tenantId = `acme-${randomUUID()}`;
    const id = `resent-${randomUUID()}`;
    const marker = `marker-${randomUUID()}`;
    const submission = { email: 'grace@example.com', firstName: 'Grace' };
    await send(intake.topic, [
      { key: 'crm-9', headers: intakeHeaders({ id, tenantId }), data: submission },
      { key: 'crm-9', headers: intakeHeaders({ id, tenantId }), data: submission },
      // Behind both on the partition: once it is captured, the copy was handled.
      { key: 'crm-9', headers: intakeHeaders({ id: marker, tenantId }), data: { email: 'marker@example.com' } },
    ]);

    const events = await waitFor('the marker captured', capturedWithCaptureId(tenantId, `intake:${marker}`));
    expect(events.map((event) => [event.type, event.data.captureId])).toEqual([
      ['LeadCaptured', `intake:${id}`],
      ['LeadCaptured', `intake:${marker}`],
    ]);
    expect(intake.deadLetters.filter((message) => message.headers.ce_id === id)).toEqual([]);
  });

  it('dead-letters a message without ce_tenantid naming the header, and captures the one behind it', async () => {
    const tenantId = `acme-${randomUUID()}`;
    const tenantless = `no-tenant-${randomUUID()}`;
    const marker = `marker-${randomUUID()}`;
    const { ce_tenantid: _tenant, ...withoutTenant } = intakeHeaders({ id: tenantless, tenantId });
    await send(intake.topic, [
      { key: 'crm-11', headers: withoutTenant, data: { email: 'ada@example.com' } },
      { key: 'crm-11', headers: intakeHeaders({ id: marker, tenantId }), data: { email: 'marker@example.com' } },
    ]);

    await waitFor('the marker captured', capturedWithCaptureId(tenantId, `intake:${marker}`));
    const deadLetter = await waitFor('the tenantless message dead-lettered', () =>
      intake.deadLetters.find((message) => message.headers.ce_id === tenantless),
    );
    expect(deadLetter.headers.dlq_reason).toBe('missing header ce_tenantid');
    expect(deadLetter.headers.dlq_error).toBe('EnvelopeDecodeError');
    expect(await eventsOf(tenantId)).toHaveLength(1);
  });

  it('loses nothing and doubles nothing across a restart of the consumer', async () => {
    const tenantId = `acme-${randomUUID()}`;
    const ids = Array.from({ length: 20 }, (_, index) => `restart-${index}-${randomUUID()}`);
    const submissions = ids.map((id, index) => ({
      key: `crm-r${index % 3}`,
      headers: intakeHeaders({ id, tenantId }),
      data: { email: `person-${index}@example.com` },
    }));
    await send(intake.topic, submissions.slice(0, 10));
    await waitFor('some of the first half captured', async () => (await eventsOf(tenantId)).length >= 3);

    // Mid-stream: whatever was captured but not yet committed is redelivered and must come out a duplicate.
    await intake.restart();
    await send(intake.topic, submissions.slice(10));
    await send(intake.topic, submissions.slice(0, 5));

    const last = ids.at(-1) ?? '';
    const events = await waitFor('the last submission captured', capturedWithCaptureId(tenantId, `intake:${last}`));
    expect(events.map((event) => event.data.captureId)).toEqual(ids.map((id) => `intake:${id}`));
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(['LeadCaptured']));
  });
});
