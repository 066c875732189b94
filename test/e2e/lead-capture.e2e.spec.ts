import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopics, runConsumer } from '@l2o/bus';
import type { ConsumedEvent, ConsumerRunner } from '@l2o/bus';
import { Topics, withNamespace } from '@l2o/contracts';
import { migrateEventStore } from '@l2o/event-store';
import { createPool } from '@l2o/pg';
import { migrateProjections } from '@l2o/projections/migrations';
import { createApiKey, migrateTenancy } from '@l2o/tenancy';
import type { ApiScope } from '@l2o/tenancy';
import {
  freePorts,
  freshSchema,
  kafkaBrokers,
  spawnService,
  uniqueSuffix,
  waitFor,
  withServiceOutput,
  type ServiceProcess,
} from '@l2o/testing';

const { Kafka, logLevel } = kafkajs;

describe('lead capture across the running services', () => {
  const suffix = uniqueSuffix();
  const namespace = `e2e-${suffix}`;
  const leadTopic = withNamespace(Topics.lead, namespace);
  const intakeTopic = withNamespace(Topics.leadIntake, namespace);
  const services: ServiceProcess[] = [];
  const published: ConsumedEvent[] = [];
  let db: Awaited<ReturnType<typeof freshSchema>> | undefined;
  let pool: pg.Pool | undefined;
  let reader: ConsumerRunner | undefined;
  let ingestion: ServiceProcess;
  let projections: ServiceProcess;
  const tenantId = `acme-${suffix}`;
  let apiKey: string;

  beforeAll(async () => {
    db = await freshSchema('e2e');
    const { databaseUrl, schema } = db;
    await migrateEventStore({ databaseUrl, schema });
    await migrateProjections({ databaseUrl, schema });
    await migrateTenancy({ databaseUrl, schema });
    await ensureTopics({
      brokers: kafkaBrokers(),
      topics: [
        { topic: leadTopic, partitions: 3 },
        { topic: intakeTopic, partitions: 3 },
        // Projections also follows the opportunity and attribution topics and will not start without them.
        { topic: withNamespace(Topics.opportunity, namespace), partitions: 3 },
        { topic: withNamespace(Topics.attribution, namespace), partitions: 3 },
      ],
    });
    pool = createPool({ connectionString: databaseUrl, schema, max: 2 });
    apiKey = await keyOf(tenantId, ['ingest', 'read_reports']);

    const [ingestionPort = 0, projectionsPort = 0, relayPort = 0] = await freePorts(3);
    const env = {
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      TOPIC_NAMESPACE: namespace,
      CONSUMER_GROUP: `e2e-projections-${suffix}`,
      INTAKE_CONSUMER_GROUP: `e2e-intake-${suffix}`,
      LOG_LEVEL: 'warn',
    };
    ingestion = spawnService({ name: 'ingestion', port: ingestionPort, env });
    projections = spawnService({ name: 'projections', port: projectionsPort, env });
    const relay = spawnService({ name: 'relay', port: relayPort, env });
    services.push(ingestion, projections, relay);
    await Promise.all(services.map((service) => service.ready()));

    reader = await runConsumer({
      brokers: kafkaBrokers(),
      groupId: `e2e-reader-${suffix}`,
      topics: [leadTopic],
      deadLetter: { ensureTopics: false },
      handle: async (message) => {
        published.push(message);
      },
    });
  });

  afterAll(async () => {
    await Promise.allSettled(services.map((service) => service.stop()));
    await reader?.stop();
    await pool?.end();
    await db?.drop();
  });

  /** A key of `tenant`, created in the services' schema. */
  async function keyOf(tenant: string, scopes: ApiScope[]): Promise<string> {
    if (pool === undefined) throw new Error('the suite set-up did not open its pool');
    return (await createApiKey({ pool, tenantId: tenant, name: 'e2e', scopes })).apiKey;
  }

  async function storedEvents(filter: { tenantId?: string } = {}): Promise<number> {
    const result = await pool?.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM "${db?.schema}".events WHERE $1::text IS NULL OR metadata->>'tenantId' = $1`,
      [filter.tenantId ?? null],
    );
    return result?.rows[0]?.count ?? -1;
  }

  it('captures a lead over HTTP, publishes LeadCaptured and shows the lead in the query API', async () => {
    const traceId = randomUUID().replaceAll('-', '');
    await withServiceOutput(services, async () => {
      const response = await fetch(`${ingestion.url}/v1/leads`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${apiKey}`,
          'x-request-id': `e2e-${suffix}`,
          traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        },
        body: JSON.stringify({
          email: ' Grace.Hopper@Example.com',
          firstName: 'Grace',
          lastName: 'Hopper',
          company: { name: 'Navy Computing', domain: 'navy.example' },
          touchpoint: { channel: 'web_form', source: 'website', campaign: 'cobol-days' },
        }),
      });
      const body = (await response.json()) as { leadId: string; status: string };
      expect(response.status, JSON.stringify(body)).toBe(201);
      expect(body.status).toBe('captured');
      const { leadId } = body;

      const lead = await waitFor('the lead in the query API', async () => {
        const answer = await fetch(`${projections.url}/v1/leads/${leadId}`, {
          headers: { authorization: `Bearer ${apiKey}` },
        });
        return answer.status === 200 ? ((await answer.json()) as Record<string, unknown>) : undefined;
      });
      expect(lead).toMatchObject({
        leadId,
        status: 'captured',
        email: 'grace.hopper@example.com',
        firstName: 'Grace',
        lastName: 'Hopper',
        companyName: 'Navy Computing',
        companyDomain: 'navy.example',
        channel: 'web_form',
        source: 'website',
        campaign: 'cobol-days',
        version: 1,
      });

      const message = await waitFor('LeadCaptured on the lead topic', () =>
        published.find((candidate) => candidate.event.subject === leadId),
      );
      expect(message.key).toBe(leadId);
      expect(message.event).toMatchObject({
        type: 'l2o.lead.captured.v1',
        subject: leadId,
        source: '/l2o/ingestion',
        tenantid: tenantId,
        streamversion: 1,
        correlationid: `e2e-${suffix}`,
        data: { leadId, tenantId, contact: { email: 'grace.hopper@example.com' } },
      });
      // The caller's trace continues through the event store and Kafka.
      expect(message.event.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-[0-9a-f]{2}$`));

      const otherTenantKey = await keyOf(`other-${suffix}`, ['read_reports']);
      const asOtherTenant = await fetch(`${projections.url}/v1/leads/${leadId}`, {
        headers: { authorization: `Bearer ${otherTenantKey}` },
      });
      expect(asOtherTenant.status).toBe(404);
    });
  });

  it('refuses a bad body with 400 naming the field and stores no event', async () => {
    const refusedTenant = `refused-${suffix}`;
    const refusedKey = await keyOf(refusedTenant, ['ingest']);
    await withServiceOutput(services, async () => {
      const before = await storedEvents();
      const response = await fetch(`${ingestion.url}/v1/leads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${refusedKey}` },
        body: JSON.stringify({ email: 'not-an-email', firstName: 'Grace' }),
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        status: 400,
        code: 'validation_failed',
        field: 'email',
        reason: 'is not an email address: it needs a part before the @ and a domain after it',
      });
      expect(await storedEvents({ tenantId: refusedTenant })).toBe(0);
      expect(await storedEvents()).toBe(before);
    });
  });

  it('refuses a request without an API key with 401 on both services', async () => {
    await withServiceOutput(services, async () => {
      const capture = await fetch(`${ingestion.url}/v1/leads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'grace@example.com' }),
      });
      const read = await fetch(`${projections.url}/v1/leads/${randomUUID()}`);

      expect(capture.status).toBe(401);
      expect(await capture.json()).toMatchObject({ status: 401, code: 'unauthorized' });
      expect(read.status).toBe(401);
    });
  });
  it('captures a lead a platform producer publishes on the intake topic and serves it from the query API', async () => {
    await withServiceOutput(services, async () => {
      const submissionId = randomUUID();
      const email = `intake-${suffix}@example.com`;
      const producer = new Kafka({
        brokers: kafkaBrokers(),
        clientId: 'e2e-intake-producer',
        logLevel: logLevel.NOTHING,
      }).producer();
      await producer.connect();
      try {
        await producer.send({
          topic: intakeTopic,
          messages: [
            {
              key: email,
              value: JSON.stringify({
                email,
                firstName: 'Katherine',
                lastName: 'Johnson',
                touchpoint: { source: 'crm-sync' },
              }),
              headers: {
                ce_specversion: '1.0',
                ce_id: submissionId,
                ce_type: 'l2o.lead-intake.submitted.v1',
                ce_source: '/crm/sync',
                ce_time: new Date().toISOString(),
                ce_tenantid: tenantId,
                'content-type': 'application/json',
              },
            },
          ],
        });
      } finally {
        await producer.disconnect();
      }

      const message = await waitFor('the intake lead published as LeadCaptured', () =>
        published.find(
          (candidate) => (candidate.event.data as { contact?: { email?: string } }).contact?.email === email,
        ),
      );
      expect(message.event).toMatchObject({ type: 'l2o.lead.captured.v1', tenantid: tenantId });
      expect(message.event.data).toMatchObject({ touchpoint: { channel: 'kafka_intake', source: 'crm-sync' } });
      const lead = await waitFor('the intake lead in the query API', async () => {
        const answer = await fetch(`${projections.url}/v1/leads/${message.event.subject}`, {
          headers: { authorization: `Bearer ${apiKey}` },
        });
        return answer.status === 200 ? ((await answer.json()) as Record<string, unknown>) : undefined;
      });
      expect(lead).toMatchObject({ email, channel: 'kafka_intake', firstName: 'Katherine' });
    });
  });
});
